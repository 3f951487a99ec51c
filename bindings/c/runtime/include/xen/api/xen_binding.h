/*
 * What xenia's C binding adds to libxenserver's interface (seed 000, the 2006 review of the first
 * C binding): an interface version known at compile time and at run time, generations for
 * caller-owned sets, packed uuids, and a default transport (libcurl: HTTP, HTTPS, unix socket).
 */
#ifndef XEN_BINDING_H
#define XEN_BINDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The interface version of this binding.  MAJOR changes when the ABI breaks (a record outgrew
 * its reserved space, a function went away); MINOR when something was added compatibly.
 */
#define XEN_BINDING_VERSION_MAJOR 1
#define XEN_BINDING_VERSION_MINOR 0
#define XEN_BINDING_VERSION ((XEN_BINDING_VERSION_MAJOR << 16) | XEN_BINDING_VERSION_MINOR)

/* The interface version of the library loaded at run time, same encoding as XEN_BINDING_VERSION. */
extern int
xen_binding_version(void);

/* True when the loaded library serves programs compiled against XEN_BINDING_VERSION. */
#define XEN_BINDING_CHECK_VERSION() \
    ((xen_binding_version() >> 16) == XEN_BINDING_VERSION_MAJOR && \
     (xen_binding_version() & 0xffff) >= XEN_BINDING_VERSION_MINOR)

/*
 * A generation: the server's event token at the moment a caller-owned set was read.  Two reads
 * with equal generations saw the same server state; a different generation means something
 * changed in between (not necessarily this set).  An empty token means "unknown".
 */
typedef struct xen_generation
{
    char token[64];
} xen_generation;

extern bool
xen_generation_equal(const xen_generation *a, const xen_generation *b);

/* Packed uuids (16 bytes, caller-owned) and back (37 bytes with the \0, caller-owned). */
extern bool
xen_uuid_parse(const char *uuid, uint8_t bytes[16]);

extern void
xen_uuid_format(const uint8_t bytes[16], char uuid[37]);

/*
 * The default transport.  url is "http://host:port", "https://host:port" or "unix:/path/to/sock"
 * (also "unix:///path").  Pass xen_transport_call as the call_func and the transport as its
 * handle to xen_session_login_with_password; free it after the last session using it.
 */
typedef struct xen_transport xen_transport;

extern xen_transport *
xen_transport_new(const char *url);

/* HTTPS: verify the server against cafile (NULL: the system's CAs), or not at all. */
extern void
xen_transport_set_tls(xen_transport *transport, bool verify, const char *cafile);

extern void
xen_transport_free(xen_transport *transport);

extern int
xen_transport_call(const void *data, size_t len, void *user_handle,
                   void *result_handle,
                   bool (*result_func)(const void *, size_t, void *));

#endif

/*
 * xenia's C binding for the XenAPI: the common part, source-compatible with libxenserver's
 * xen_common.h (xapi's C SDK): the transport callback, the session, login and logout, uuids.
 * What xenia adds (interface version, generations, packed uuids, the default transport) is in
 * xen/api/xen_binding.h, included from here.
 */
#ifndef XEN_COMMON_H
#define XEN_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#ifndef XEN_CLAZZ
#ifdef __cplusplus
#define XEN_CLAZZ clazz
#else
#define XEN_CLAZZ class
#endif
#endif

#ifndef XEN_API_TYPE
#ifdef __cplusplus
#define XEN_API_TYPE type_name
#else
#define XEN_API_TYPE typename
#endif
#endif

#include <xen/api/xen_api_version.h>
#include <xen/api/xen_binding.h>
#include <xen/api/xen_host_decl.h>
#include <xen/api/xen_task_decl.h>
#include <xen/api/xen_string_set.h>

/* Hands len bytes of the response to the library; returns true when they were taken. */
typedef bool (*xen_result_func)(const void *data, size_t len, void *result_handle);

/*
 * The transport: send the len bytes of an XML-RPC request (no terminating \0), hand every piece
 * of the response body to result_func(piece, len, result_handle), and return 0, or an error
 * code that the session reports as TRANSPORT_FAULT.
 */
typedef int (*xen_call_func)(const void *, size_t len, void *user_handle,
                             void *result_handle, xen_result_func result_func);

typedef struct
{
    xen_call_func call_func;
    void *handle;
    const char *session_id;
    bool ok;
    char **error_description;
    int error_description_count;
    xen_api_version api_version;
} xen_session;

typedef struct xen_session_record
{
    char *uuid;
    struct xen_host_record_opt *this_host;
    char *this_user;
    time_t last_active;
} xen_session_record;

extern xen_session_record *
xen_session_record_alloc(void);

extern void
xen_session_record_free(xen_session_record *record);

struct xen_task_;
typedef struct xen_task_ *xen_task_id;

typedef struct
{
    int progress;
    long eta;
} xen_task_status;

typedef struct
{
    int major;
    int minor;
    int patch;
    char *extraversion;
} xen_version;

extern void
xen_version_free(xen_version *version);

/* The version of this client library: major.minor of its interface, patch, and "xenia". */
extern xen_version *
xen_get_client_side_version(void);

/* "xxxxxxxx-xxxx-..." to 16 bytes in *bytes, yours to free with xen_uuid_bytes_free. */
extern bool
xen_uuid_string_to_bytes(char *uuid, char **bytes);

extern bool
xen_uuid_bytes_to_string(char *bytes, char **uuid);

extern void
xen_uuid_free(char *uuid);

extern void
xen_uuid_bytes_free(char *bytes);

/* Initialise the library (and libxml2); call once before anything else. */
extern void
xen_init(void);

/* Release what xen_init took. */
extern void
xen_fini(void);

extern xen_session *
xen_session_login_with_password(xen_call_func call_func, void *handle,
                                const char *uname, const char *pwd,
                                xen_api_version version);

extern xen_session *
xen_session_slave_local_login_with_password(xen_call_func call_func, void *handle,
                                            const char *uname, const char *pwd);

/* Log out at the server and free the session. */
extern void
xen_session_logout(xen_session *session);

extern void
xen_session_local_logout(xen_session *session);

extern bool
xen_session_logout_subject_identifier(xen_session *session, const char *subject_identifier);

extern bool
xen_session_logout_subject_identifier_async(xen_session *session, xen_task *result,
                                            const char *subject_identifier);

extern bool
xen_session_get_all_subject_identifiers(xen_session *session, struct xen_string_set **result);

extern bool
xen_session_get_all_subject_identifiers_async(xen_session *session, xen_task *result);

extern bool
xen_session_change_password(xen_session *session, const char *old_pwd, const char *new_pwd);

/* Forget the error recorded on the session, so that calls run again. */
extern void
xen_session_clear_error(xen_session *session);

extern bool
xen_session_get_uuid(xen_session *session, char **result, xen_session *self_session);

extern bool
xen_session_get_this_host(xen_session *session, xen_host *result, xen_session *self_session);

extern bool
xen_session_get_this_user(xen_session *session, char **result, xen_session *self_session);

extern bool
xen_session_get_last_active(xen_session *session, time_t *result, xen_session *self_session);

extern bool
xen_session_get_record(xen_session *session, xen_session_record **result,
                       xen_session *self_session);

#endif

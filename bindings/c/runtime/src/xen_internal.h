/*
 * The runtime's private interface: type descriptors that drive one generic XML-RPC encoder and
 * decoder, so the generated per-class code is only tables and one call per message.
 * Not installed; never part of the ABI.
 */
#ifndef XEN_INTERNAL_H
#define XEN_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <xen/api/xen_common.h>

enum xen_kind_
{
    XEN_K_STRING,   /* char *                                       */
    XEN_K_INT,      /* int64_t                                      */
    XEN_K_FLOAT,    /* double                                       */
    XEN_K_BOOL,     /* bool                                         */
    XEN_K_DATETIME, /* time_t                                       */
    XEN_K_ENUM,     /* enum (int); names[] index = value            */
    XEN_K_REF,      /* struct xen_X_record_opt * (references inside records) */
    XEN_K_SET,      /* struct { size_t size; T contents[]; } *      */
    XEN_K_MAP,      /* struct { size_t size; entry contents[]; } *  */
    XEN_K_STRUCT    /* xen_X_record * (a handle first when has_handle) */
};

typedef struct xen_member_
{
    const char *key;
    const struct xen_type_ *type;
    size_t offset;
} xen_member_;

typedef struct xen_type_
{
    enum xen_kind_ kind;
    const struct xen_type_ *elem;   /* SET element, MAP value */
    const struct xen_type_ *key;    /* MAP key */
    const char *const *names;       /* ENUM wire names */
    int name_count;                 /* ENUM: also the UNDEFINED value */
    size_t size;                    /* STRUCT: record size; MAP: entry size */
    size_t key_offset;              /* MAP entry */
    size_t val_offset;              /* MAP entry */
    size_t member_count;            /* STRUCT */
    const xen_member_ *members;     /* STRUCT */
    const struct xen_type_ *record; /* REF: the record an opt may hold; NULL if none */
    bool has_handle;                /* STRUCT: starts with the object's handle */
} xen_type_;

/* One parameter: its type and the address of the caller's variable holding it. */
typedef struct xen_arg_
{
    const xen_type_ *type;
    const void *value;
} xen_arg_;

extern const xen_type_ xen_type_string_;
extern const xen_type_ xen_type_int_;
extern const xen_type_ xen_type_float_;
extern const xen_type_ xen_type_bool_;
extern const xen_type_ xen_type_datetime_;
extern const xen_type_ xen_type_xen_string_set_;
extern const xen_type_ xen_type_xen_int_set_;
extern const xen_type_ xen_type_xen_string_int_map_;
extern const xen_type_ xen_type_xen_event_record_set_;

/*
 * Call method(session_id, args...) and decode the result into *result (whose C type is the one
 * result_type describes).  On failure session->ok is false and error_description says why.
 */
extern void
xen_call_(xen_session *s, const char *method, const xen_arg_ *args, size_t n,
          const xen_type_ *result_type, void *result);

/*
 * The same, for a set result copied into a caller's buffer: at most capacity elements of
 * elem_size bytes; *needed gets the set's size.  With generation != NULL the set is read
 * between two readings of the event token and retried until both agree.
 */
extern bool
xen_call_into_(xen_session *s, const char *method, const xen_arg_ *args, size_t n,
               const xen_type_ *set_type, void *buf, size_t capacity,
               size_t *needed, xen_generation *generation);

/* Frees what *storage holds (not storage itself). */
extern void
xen_value_free_(const xen_type_ *t, void *storage);

/* Frees a set or map of the given type and everything it holds. */
extern void
xen_container_free_(const xen_type_ *t, void *container);

/* Frees a record of the given type and everything it holds. */
extern void
xen_record_free_(const xen_type_ *t, void *record);

/* Allocates a set or map of n zeroed entries with size set. */
extern void *
xen_container_alloc_(const xen_type_ *t, size_t n);

extern char *
xen_strdup_(const char *in);

extern const char *
xen_enum_to_string_(const xen_type_ *t, int value);

extern int
xen_enum_from_string_(const xen_type_ *t, const char *str);

/* The packed form of a uuid string. */
extern bool
xen_uuid_pack_(const char *uuid, uint8_t bytes[16]);

#endif

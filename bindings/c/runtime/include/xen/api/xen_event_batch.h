#ifndef XEN_EVENT_BATCH_H
#define XEN_EVENT_BATCH_H

#include <xen/api/xen_common.h>
#include <xen/api/xen_event.h>
#include <xen/api/xen_string_int_map.h>

/* What event.from returns: the events, the object counts per class, and the next token. */
typedef struct xen_event_batch
{
    struct xen_event_record_set *events;
    xen_string_int_map *valid_ref_counts;
    char *token;
} xen_event_batch;

extern void
xen_event_batch_free(xen_event_batch *batch);

/*
 * Block until an event of one of the classes happens after token (the empty string: the current
 * state of every object), or timeout seconds pass.
 */
extern bool
xen_event_from(xen_session *session, struct xen_event_batch **result,
               struct xen_string_set *classes, char *token, double timeout);

#endif

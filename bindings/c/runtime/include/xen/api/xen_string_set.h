#ifndef XEN_STRING_SET_H
#define XEN_STRING_SET_H

#include <stddef.h>

typedef struct xen_string_set
{
    size_t size;
    char *contents[];
} xen_string_set;

extern xen_string_set *
xen_string_set_alloc(size_t size);

extern void
xen_string_set_free(xen_string_set *set);

#endif

#ifndef XEN_INT_SET_H
#define XEN_INT_SET_H

#include <stddef.h>
#include <stdint.h>

typedef struct xen_int_set
{
    size_t size;
    int64_t contents[];
} xen_int_set;

extern xen_int_set *
xen_int_set_alloc(size_t size);

extern void
xen_int_set_free(xen_int_set *set);

#endif

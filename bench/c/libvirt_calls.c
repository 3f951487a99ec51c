/*
 * Calls/s of one libvirt call from C (libvirt's own client library), on one connection to a
 * libvirtd.  Prints {"calls": N, "seconds": S} on stdout.
 *
 * Usage: libvirt_calls <uri> <domain-name> <info|xmldesc> <seconds>
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libvirt/libvirt.h>

static double
now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
    if (argc != 5)
    {
        fprintf(stderr, "usage: %s <uri> <domain> <info|xmldesc> <seconds>\n", argv[0]);
        return 2;
    }
    bool xml = strcmp(argv[3], "xmldesc") == 0;
    double seconds = atof(argv[4]);
    virConnectPtr conn = virConnectOpen(argv[1]);
    if (conn == NULL)
        return 1;
    virDomainPtr dom = virDomainLookupByName(conn, argv[2]);
    if (dom == NULL)
        return 1;
    virDomainInfo info;
    for (int i = 0; i < 50; i++) /* warm up */
        virDomainGetInfo(dom, &info);
    long calls = 0;
    double start = now(), end = start;
    while (end - start < seconds)
    {
        for (int i = 0; i < 20; i++)
        {
            if (xml)
            {
                char *desc = virDomainGetXMLDesc(dom, 0);
                if (desc == NULL)
                    return 1;
                free(desc);
            }
            else if (virDomainGetInfo(dom, &info) < 0)
                return 1;
        }
        calls += 20;
        end = now();
    }
    printf("{\"calls\": %ld, \"seconds\": %.6f}\n", calls, end - start);
    virDomainFree(dom);
    virConnectClose(conn);
    return 0;
}

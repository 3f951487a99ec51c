/*
 * The default transport: XML-RPC over HTTP POST with libcurl, to a TCP address (http:// or
 * https://) or to the daemon's local unix socket (unix:/path).  libxenserver ships none, so every
 * program wrote its own call_func; this one keeps one curl handle per transport, so calls reuse
 * the connection (keep-alive) as a long-lived client should.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include <xen/api/xen_binding.h>

struct xen_transport
{
    CURL *curl;
    struct curl_slist *headers;
    char *url;
    char *socket_path;
};

typedef struct
{
    bool (*result_func)(const void *, size_t, void *);
    void *result_handle;
} sink_t;

static size_t
write_cb(char *data, size_t size, size_t nmemb, void *userdata)
{
    sink_t *sink = userdata;
    size_t n = size * nmemb;
    return sink->result_func(data, n, sink->result_handle) ? n : 0;
}

xen_transport *
xen_transport_new(const char *url)
{
    static bool initialised = false;
    if (!initialised)
    {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        initialised = true;
    }
    xen_transport *t = calloc(1, sizeof(xen_transport));
    if (t == NULL)
        return NULL;
    t->curl = curl_easy_init();
    if (t->curl == NULL)
    {
        free(t);
        return NULL;
    }
    if (strncmp(url, "unix:", 5) == 0)
    {
        const char *path = url + 5;
        while (path[0] == '/' && path[1] == '/')
            path++;
        t->socket_path = strdup(path);
        /* The host name is only the Host header's value on a unix socket. */
        t->url = strdup("http://localhost/");
        curl_easy_setopt(t->curl, CURLOPT_UNIX_SOCKET_PATH, t->socket_path);
    }
    else
        t->url = strdup(url);
    t->headers = curl_slist_append(NULL, "Content-Type: text/xml");
    t->headers = curl_slist_append(t->headers, "Expect:");
    curl_easy_setopt(t->curl, CURLOPT_URL, t->url);
    curl_easy_setopt(t->curl, CURLOPT_HTTPHEADER, t->headers);
    curl_easy_setopt(t->curl, CURLOPT_POST, 1L);
    curl_easy_setopt(t->curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(t->curl, CURLOPT_WRITEFUNCTION, write_cb);
    curl_easy_setopt(t->curl, CURLOPT_TCP_NODELAY, 1L);
    return t;
}

void
xen_transport_set_tls(xen_transport *t, bool verify, const char *cafile)
{
    curl_easy_setopt(t->curl, CURLOPT_SSL_VERIFYPEER, verify ? 1L : 0L);
    curl_easy_setopt(t->curl, CURLOPT_SSL_VERIFYHOST, verify ? 2L : 0L);
    if (cafile != NULL)
        curl_easy_setopt(t->curl, CURLOPT_CAINFO, cafile);
}

void
xen_transport_free(xen_transport *t)
{
    if (t == NULL)
        return;
    curl_easy_cleanup(t->curl);
    curl_slist_free_all(t->headers);
    free(t->url);
    free(t->socket_path);
    free(t);
}

int
xen_transport_call(const void *data, size_t len, void *user_handle, void *result_handle,
                   bool (*result_func)(const void *, size_t, void *))
{
    xen_transport *t = user_handle;
    sink_t sink = {result_func, result_handle};
    curl_easy_setopt(t->curl, CURLOPT_POSTFIELDS, data);
    curl_easy_setopt(t->curl, CURLOPT_POSTFIELDSIZE, (long)len);
    curl_easy_setopt(t->curl, CURLOPT_WRITEDATA, &sink);
    CURLcode rc = curl_easy_perform(t->curl);
    if (rc != CURLE_OK)
        return (int)rc;
    long status = 0;
    curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
    return status == 200 ? 0 : (int)status;
}

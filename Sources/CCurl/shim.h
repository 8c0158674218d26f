#ifndef TIEDOTE_CCURL_SHIM_H
#define TIEDOTE_CCURL_SHIM_H
#include <curl/curl.h>

/* curl_easy_setopt and curl_easy_getinfo are variadic and cannot be called from Swift:
   these typed wrappers are the only way in. */
static inline CURLcode tiedote_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode tiedote_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode tiedote_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode tiedote_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}
typedef size_t (*tiedote_curl_io_callback)(char *buffer, size_t size, size_t count, void *userdata);
static inline CURLcode tiedote_curl_setopt_io_callback(CURL *handle, CURLoption option, tiedote_curl_io_callback value) {
    return curl_easy_setopt(handle, option, value);
}
typedef int (*tiedote_curl_debug_callback)(CURL *handle, curl_infotype type, char *data, size_t size, void *userdata);
static inline CURLcode tiedote_curl_setopt_debug_callback(CURL *handle, CURLoption option, tiedote_curl_debug_callback value) {
    return curl_easy_setopt(handle, option, value);
}
/* Called about once a second while a transfer waits: the SMTP per-step timeouts live there. */
typedef int (*tiedote_curl_xferinfo_callback)(void *userdata, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow);
static inline CURLcode tiedote_curl_setopt_xferinfo_callback(CURL *handle, CURLoption option, tiedote_curl_xferinfo_callback value) {
    return curl_easy_setopt(handle, option, value);
}
/* Told each new socket, so that a connection to a relay that stopped answering can be cut. */
typedef int (*tiedote_curl_sockopt_callback)(void *userdata, curl_socket_t socket, curlsocktype purpose);
static inline CURLcode tiedote_curl_setopt_sockopt_callback(CURL *handle, CURLoption option, tiedote_curl_sockopt_callback value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode tiedote_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}
/* HTTP: a request body given as a byte count and a string libcurl copies. */
static inline CURLcode tiedote_curl_setopt_off(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}
#endif

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
static inline CURLcode tiedote_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}
/* HTTP: a request body given as a byte count and a string libcurl copies. */
static inline CURLcode tiedote_curl_setopt_off(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}
#endif

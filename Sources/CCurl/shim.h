#ifndef TAPIR_CCURL_SHIM_H
#define TAPIR_CCURL_SHIM_H
#include <curl/curl.h>

/* Typed wrappers around libcurl's variadic setopt/getinfo calls, which Swift cannot call. */

static inline CURLcode tapir_easy_setopt_long(CURL *easy, CURLoption option, long value) {
    return curl_easy_setopt(easy, option, value);
}

static inline CURLcode tapir_easy_setopt_string(CURL *easy, CURLoption option, const char *value) {
    return curl_easy_setopt(easy, option, value);
}

static inline CURLcode tapir_easy_setopt_pointer(CURL *easy, CURLoption option, void *value) {
    return curl_easy_setopt(easy, option, value);
}

static inline CURLcode tapir_easy_setopt_slist(CURL *easy, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(easy, option, value);
}

static inline CURLcode tapir_easy_setopt_off(CURL *easy, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(easy, option, value);
}

/* CURLOPT_WRITEFUNCTION and CURLOPT_HEADERFUNCTION share this signature. */
typedef size_t (*tapir_curl_data_callback)(char *data, size_t size, size_t count, void *userdata);

static inline CURLcode tapir_easy_setopt_data_callback(CURL *easy, CURLoption option, tapir_curl_data_callback callback) {
    return curl_easy_setopt(easy, option, callback);
}

static inline CURLcode tapir_easy_getinfo_long(CURL *easy, CURLINFO info, long *value) {
    return curl_easy_getinfo(easy, info, value);
}

static inline CURLcode tapir_easy_getinfo_double(CURL *easy, CURLINFO info, double *value) {
    return curl_easy_getinfo(easy, info, value);
}

static inline CURLcode tapir_easy_getinfo_pointer(CURL *easy, CURLINFO info, void **value) {
    return curl_easy_getinfo(easy, info, value);
}

static inline CURLMcode tapir_multi_setopt_long(CURLM *multi, CURLMoption option, long value) {
    return curl_multi_setopt(multi, option, value);
}

/* CURLMsg keeps its result in a union; these read it without Swift touching the union. */
static inline int tapir_msg_is_done(const CURLMsg *message) {
    return message->msg == CURLMSG_DONE;
}

static inline CURLcode tapir_msg_result(const CURLMsg *message) {
    return message->data.result;
}

static inline CURL *tapir_msg_easy(const CURLMsg *message) {
    return message->easy_handle;
}

#endif

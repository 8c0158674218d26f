/*
 * The floor of libcurl's multi interface for SMTP on this machine: one thread drives N
 * connections and sends one ready message COUNT times, with no list, rendering or journal.
 * `tiedote send` uses the easy interface, one thread per connection; this measures what a
 * delivery loop on the multi interface could reach at best (BENCHMARKS.md, "Where the time
 * goes now").
 *
 *   cc -O2 bench/curl-multi-floor.c -o /tmp/curl-multi-floor -lcurl
 *   /tmp/curl-multi-floor smtp://127.0.0.1:PORT COUNT CONNECTIONS MESSAGE.eml
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

typedef struct { const char *data; size_t length, offset; } Body;

static size_t read_body(char *buffer, size_t size, size_t count, void *user) {
    Body *body = user;
    size_t left = body->length - body->offset, n = size * count < left ? size * count : left;
    memcpy(buffer, body->data + body->offset, n);
    body->offset += n;
    return n;
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: %s URL COUNT CONNECTIONS MESSAGE.eml\n", argv[0]);
        return 2;
    }
    const char *url = argv[1];
    int total = atoi(argv[2]), connections = atoi(argv[3]);
    if (total < 1 || connections < 1 || connections > 64) return 2;
    FILE *file = fopen(argv[4], "rb");
    if (!file) { perror(argv[4]); return 1; }
    fseek(file, 0, SEEK_END);
    long length = ftell(file);
    rewind(file);
    char *message = malloc(length);
    if (fread(message, 1, length, file) != (size_t)length) return 1;
    fclose(file);

    curl_global_init(CURL_GLOBAL_DEFAULT);
    CURLM *multi = curl_multi_init();
    curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)connections);
    struct curl_slist *recipient = curl_slist_append(NULL, "<sink@example.fi>");
    Body bodies[64];
    int started = 0, done = 0;
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (long i = 0; i < connections && started < total; i++, started++) {
        CURL *easy = curl_easy_init();
        bodies[i] = (Body){message, (size_t)length, 0};
        curl_easy_setopt(easy, CURLOPT_URL, url);
        curl_easy_setopt(easy, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(easy, CURLOPT_MAIL_FROM, "<bench@example.fi>");
        curl_easy_setopt(easy, CURLOPT_MAIL_RCPT, recipient);
        curl_easy_setopt(easy, CURLOPT_READFUNCTION, read_body);
        curl_easy_setopt(easy, CURLOPT_READDATA, &bodies[i]);
        curl_easy_setopt(easy, CURLOPT_PRIVATE, (void *)i);
        curl_multi_add_handle(multi, easy);
    }
    while (done < total) {
        int running, queued;
        curl_multi_perform(multi, &running);
        CURLMsg *info;
        while ((info = curl_multi_info_read(multi, &queued))) {
            if (info->msg != CURLMSG_DONE) continue;
            if (info->data.result != CURLE_OK) {
                fprintf(stderr, "send failed: %s\n", curl_easy_strerror(info->data.result));
                return 1;
            }
            done++;
            CURL *easy = info->easy_handle;
            char *slot;
            curl_easy_getinfo(easy, CURLINFO_PRIVATE, &slot);
            curl_multi_remove_handle(multi, easy);
            if (started < total) {
                bodies[(long)slot].offset = 0;
                curl_multi_add_handle(multi, easy);
                started++;
            }
        }
        if (done < total) curl_multi_poll(multi, NULL, 0, 1000, NULL);
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    double seconds = (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9;
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    double cpu = usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + usage.ru_stime.tv_sec
        + usage.ru_stime.tv_usec / 1e6;
    printf("curl multi, %d connections: %d messages in %.2f s = %.0f msg/s, %.0f us CPU per message\n",
        connections, total, seconds, total / seconds, cpu / total * 1e6);
    return 0;
}

/*
 * The libpcap baseline of CaptureFileReadBenchmark: read a capture file with pcap_open_offline and a bare
 * pcap_next_ex loop, touching the first byte of every frame as the Java benchmark does, and print the frames and
 * the elapsed nanoseconds of each pass, then the median and best rates.
 *
 *   gcc -O2 -o pcap_read_loop traffic-bench/src/main/c/pcap_read_loop.c -lpcap
 *   ./pcap_read_loop file.pcap [passes]
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int compare_ll(const void *a, const void *b)
{
    const long long x = *(const long long *)a;
    const long long y = *(const long long *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc < 2)
    {
        fprintf(stderr, "usage: %s file.pcap [passes]\n", argv[0]);
        return 2;
    }
    const int passes = argc > 2 ? atoi(argv[2]) : 5;
    long long *elapsed = calloc((size_t)passes, sizeof(long long));
    long long frames = 0;
    unsigned long long sum = 0;

    for (int pass = 0; pass < passes; pass++)
    {
        char error[PCAP_ERRBUF_SIZE];
        const long long start = now_ns();
        pcap_t *pcap = pcap_open_offline(argv[1], error);
        if (NULL == pcap)
        {
            fprintf(stderr, "%s\n", error);
            return 1;
        }

        struct pcap_pkthdr *header;
        const u_char *data;
        int rc;
        frames = 0;
        while (1 == (rc = pcap_next_ex(pcap, &header, &data)))
        {
            frames++;
            sum += header->caplen + data[0];
        }
        if (PCAP_ERROR_BREAK != rc)
        {
            fprintf(stderr, "%s\n", pcap_geterr(pcap));
            return 1;
        }
        pcap_close(pcap);
        elapsed[pass] = now_ns() - start;
        printf("pass %d: frames %lld elapsed_ns %lld (%.0f frames/s)\n",
            pass, frames, elapsed[pass], frames * 1e9 / elapsed[pass]);
    }

    qsort(elapsed, (size_t)passes, sizeof(long long), compare_ll);
    printf("checksum %llu\n", sum);
    printf("median frames/s %.0f\n", frames * 1e9 / elapsed[passes / 2]);
    printf("best frames/s %.0f\n", frames * 1e9 / elapsed[0]);
    free(elapsed);
    return 0;
}

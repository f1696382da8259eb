/* launch.c — bench_launch: runs one program as a user starts it and reports what that start cost (issue 14).
 *
 *   bench_launch [--every-ms N] [--smaps-at-peak FILE] PROGRAM [ARG]...
 *
 * The time starts just before exec (CLOCK_MONOTONIC, read in the child after fork, so fork is not counted), so
 * it includes the dynamic loader mapping and relocating every shared library: the part a `main()` timer leaves
 * out. The program reports its first frame by printing `first-frame-clock-monotonic-ns=N` (CLOCK_MONOTONIC, the
 * same clock) on standard error — the client does with --stats, bench/limit.c always. Its standard error is
 * passed through unchanged; standard output is the program's own.
 *
 * While it runs, /proc/PID/smaps_rollup is read every N ms (default 10) for the peak PSS (proportional: shared
 * pages divided by the processes sharing them), USS (pages of this process alone: Private_Clean +
 * Private_Dirty) and RSS (every resident page, shared or not). PSS falls when other processes map the same
 * libraries, so the line also says how many other processes map libSDL2 at the first frame: 0 is the tablet's
 * case (the client alone), where PSS lies between USS and RSS by the share of libc and the like. (A program
 * that prints no first frame is counted as it ends.) With --smaps-at-peak, /proc/PID/smaps is copied to FILE each
 * time the PSS reaches a new peak, so FILE holds every mapping's share at the peak (where the pages are).
 *
 * Prints, on standard output, one line after the program has exited:
 *   launch: exec-to-first-frame-ms=F peak-pss-kb=P peak-uss-kb=U peak-rss-kb=R wall-ms=W status=S others-sdl=K
 * (exec-to-first-frame-ms=-1 when the program printed no first frame). Figures only, never pass/fail: the
 * exit status is the program's. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long mono_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

typedef struct {
    long pss, uss, rss; /* kB */
} mem;

/* One reading of /proc/PID/smaps_rollup; false once the process has gone (or is a zombie: no lines). */
static bool sample(pid_t pid, mem *m) {
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/smaps_rollup", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f) return false;
    long v, pc = 0, pd = 0;
    bool any = false;
    *m = (mem){0};
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "Rss: %ld", &v) == 1) m->rss = v, any = true;
        else if (sscanf(line, "Pss: %ld", &v) == 1) m->pss = v;
        else if (sscanf(line, "Private_Clean: %ld", &v) == 1) pc = v;
        else if (sscanf(line, "Private_Dirty: %ld", &v) == 1) pd = v;
    }
    fclose(f);
    m->uss = pc + pd;
    return any;
}

/* How many processes other than `self` (of those we may read) map libSDL2: they lower the child's PSS. */
static int others_mapping_sdl(pid_t self) {
    DIR *d = opendir("/proc");
    if (!d) return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        pid_t p = (pid_t)atoi(e->d_name);
        if (p <= 0 || p == self) continue;
        char path[64], line[512];
        snprintf(path, sizeof path, "/proc/%d/maps", (int)p);
        FILE *f = fopen(path, "r");
        if (!f) continue;
        while (fgets(line, sizeof line, f))
            if (strstr(line, "libSDL2-2.0")) {
                n++;
                break;
            }
        fclose(f);
    }
    closedir(d);
    return n;
}

/* Copies /proc/PID/smaps to `to`, replacing it only with a whole copy. smaps is read a piece at a time, so a
 * process that ends meanwhile leaves a copy without its last mappings (its libraries), and a zombie's is empty:
 * the copy counts only if the process still had its memory after it was read (smaps_rollup still answers). */
static void copy_smaps(pid_t pid, const char *to) {
    char path[64], tmp[4096], buf[65536];
    snprintf(path, sizeof path, "/proc/%d/smaps", (int)pid);
    snprintf(tmp, sizeof tmp, "%s.part", to);
    FILE *in = fopen(path, "r");
    if (!in) return;
    FILE *out = fopen(tmp, "w");
    size_t n, all = 0;
    while (out && (n = fread(buf, 1, sizeof buf, in)) > 0)
        all += fwrite(buf, 1, n, out);
    fclose(in);
    if (!out) return;
    mem after;
    if (fclose(out) == 0 && all > 0 && sample(pid, &after))
        rename(tmp, to);
    else
        unlink(tmp);
}

int main(int argc, char **argv) {
    int every_ms = 10, i = 1;
    const char *smaps_to = NULL;
    for (;;) {
        if (i + 1 < argc && strcmp(argv[i], "--every-ms") == 0) {
            every_ms = atoi(argv[i + 1]);
            if (every_ms < 1) every_ms = 1;
            i += 2;
        } else if (i + 1 < argc && strcmp(argv[i], "--smaps-at-peak") == 0) {
            smaps_to = argv[i + 1];
            i += 2;
        } else {
            break;
        }
    }
    if (i >= argc) {
        fprintf(stderr, "usage: bench_launch [--every-ms N] [--smaps-at-peak FILE] PROGRAM [ARG]...\n");
        return 2;
    }
    /* the child writes its exec time here: a page shared across fork, so the parent reads what the child saw */
    long long *t_exec = mmap(NULL, sizeof *t_exec, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    int fds[2];
    if (t_exec == MAP_FAILED || pipe(fds) != 0) {
        perror("bench_launch");
        return 2;
    }
    *t_exec = 0;
    long long t_fork = mono_ns();
    pid_t pid = fork();
    if (pid < 0) {
        perror("bench_launch: fork");
        return 2;
    }
    if (pid == 0) {
        close(fds[0]);
        dup2(fds[1], STDERR_FILENO);
        close(fds[1]);
        *t_exec = mono_ns();
        execvp(argv[i], argv + i);
        fprintf(stderr, "bench_launch: cannot run %s: %s\n", argv[i], strerror(errno));
        _exit(127);
    }
    close(fds[1]);
    mem peak = {0}, m;
    long long t_frame = 0;
    int others = -1, status = 0;
    bool exited = false, eof = false;
    char buf[8192];
    size_t have = 0;
    while (!exited || !eof) {
        if (!eof) {
            struct pollfd pf = {.fd = fds[0], .events = POLLIN};
            if (poll(&pf, 1, every_ms) > 0) {
                ssize_t n = read(fds[0], buf + have, sizeof buf - 1 - have);
                if (n <= 0) {
                    eof = true;
                } else {
                    have += (size_t)n;
                    buf[have] = '\0';
                    /* pass whole lines through, looking for the first frame's time stamp */
                    char *start = buf, *nl;
                    while ((nl = memchr(start, '\n', have - (size_t)(start - buf)))) {
                        *nl = '\0';
                        const char *hit = strstr(start, "first-frame-clock-monotonic-ns=");
                        if (hit && !t_frame) {
                            t_frame = atoll(hit + strlen("first-frame-clock-monotonic-ns="));
                            others = others_mapping_sdl(pid);
                        }
                        fprintf(stderr, "%s\n", start);
                        start = nl + 1;
                    }
                    have -= (size_t)(start - buf);
                    memmove(buf, start, have);
                    if (have == sizeof buf - 1) { /* a line longer than the buffer: pass it on as it is */
                        fwrite(buf, 1, have, stderr);
                        have = 0;
                    }
                }
            }
        } else {
            struct timespec ts = {0, every_ms * 1000000L};
            nanosleep(&ts, NULL);
        }
        if (!exited) {
            if (sample(pid, &m)) {
                if (m.pss > peak.pss) {
                    peak.pss = m.pss;
                    if (smaps_to) copy_smaps(pid, smaps_to);
                }
                if (m.uss > peak.uss) peak.uss = m.uss;
                if (m.rss > peak.rss) peak.rss = m.rss;
            }
            if (waitpid(pid, &status, WNOHANG) == pid) exited = true;
        }
    }
    long long t_end = mono_ns();
    if (others < 0) others = others_mapping_sdl(pid); /* no first frame printed: counted as it ends instead */
    if (have) fwrite(buf, 1, have, stderr);
    double ff = t_frame && *t_exec ? (double)(t_frame - *t_exec) / 1e6 : -1.0;
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    printf("launch: exec-to-first-frame-ms=%.1f peak-pss-kb=%ld peak-uss-kb=%ld peak-rss-kb=%ld wall-ms=%.1f "
           "status=%d others-sdl=%d\n",
           ff, peak.pss, peak.uss, peak.rss, (double)(t_end - t_fork) / 1e6, code, others);
    return code;
}

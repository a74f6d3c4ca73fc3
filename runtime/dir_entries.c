/* A directory's entries without opendir: opendir allocates its buffer on the
 * program's heap, which tprof must not touch outside its hooks. The
 * snapshot thread's last-thread check read /proc/self/task with opendir
 * every 50 ms while the program ran; a program thread that forked while
 * that buffer was being allocated or freed gave a child whose heap lock
 * was held by a thread the child does not have. glibc's malloc resets its
 * locks in a fork child; the allocator of an AddressSanitizer build (LLVM
 * 14) does not, and such a child hangs at its first allocation or at
 * LeakSanitizer's check at exit (the hang e2e/last_thread_ends.c showed in
 * CI had the same shape, from the test's own main thread). getdents64 into
 * a stack buffer allocates nothing. */
#include "internal.h"

#include <sys/syscall.h>
#include <unistd.h>

struct raw_dirent { /* the kernel's linux_dirent64 */
  uint64_t ino;
  int64_t off;
  unsigned short reclen;
  unsigned char type;
  char name[];
};

int tprof_dir_each(int dir_fd, int (*visit)(int dir_fd, const char *name, void *ctx), void *ctx) {
  char buf[8192] __attribute__((aligned(8)));
  for (;;) {
    long got = syscall(SYS_getdents64, dir_fd, buf, sizeof buf);
    if (got < 0) return -1;
    if (got == 0) return 0;
    for (long at = 0; at < got;) {
      const struct raw_dirent *d = (const struct raw_dirent *)(buf + at);
      at += d->reclen;
      int stop = visit(dir_fd, d->name, ctx);
      if (stop) return stop;
    }
  }
}

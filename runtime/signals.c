/* SIGINT and SIGTERM (a user's Ctrl-C, a sandbox's timeout) still leave a
 * complete file set: our handler exports, then hands the signal to the
 * program's own handler if it has one, else lets the process die by the
 * same signal so its exit status shows it.
 *
 * The program may install its own handlers after us: sigaction() and
 * signal() are wrapped so that, for these two signals, the program's action
 * is recorded and chained to instead of replacing ours. SIG_IGN is passed
 * through (an ignored signal exports nothing). handle_signals=0 puts the
 * program's actions back in place. */
#define _GNU_SOURCE
#include "internal.h"

#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <string.h>

typedef int (*sigaction_fn)(int, const struct sigaction *, struct sigaction *);

static const int handled[] = {SIGINT, SIGTERM};
static struct sigaction program_action[2]; /* what the program asked for */
static int installed[2];                   /* our handler is in the kernel */
static pthread_mutex_t signals_mutex = PTHREAD_MUTEX_INITIALIZER;

static sigaction_fn real_sigaction(void) {
  static sigaction_fn real;
  if (!real)
    real = (sigaction_fn)dlsym(RTLD_NEXT, "sigaction");
  return real;
}

static int slot_of(int sig) {
  for (int i = 0; i < 2; i++)
    if (handled[i] == sig) return i;
  return -1;
}

static void on_signal(int sig, siginfo_t *info, void *context) {
  int saved_errno = errno;
  int i = slot_of(sig);
  if (tprof_cfg.export_profiling_data)
    tprof_export_now(TPROF_REASON_SIGNAL, NULL, 0);
  const struct sigaction *a = &program_action[i];
  if ((a->sa_flags & SA_SIGINFO) && a->sa_sigaction) {
    a->sa_sigaction(sig, info, context);
  } else if (!(a->sa_flags & SA_SIGINFO) && a->sa_handler != SIG_DFL && a->sa_handler != SIG_IGN) {
    a->sa_handler(sig);
  } else {
    /* Default action: die by this signal. */
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    real_sigaction()(sig, &dfl, NULL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    raise(sig);
  }
  errno = saved_errno;
}

static void install(int i) {
  struct sigaction ours;
  memset(&ours, 0, sizeof ours);
  ours.sa_sigaction = on_signal;
  ours.sa_flags = SA_SIGINFO | SA_RESTART;
  sigemptyset(&ours.sa_mask);
  if (real_sigaction()(handled[i], &ours, NULL) == 0)
    installed[i] = 1;
}

/* Puts the program's own action in the kernel. */
static void uninstall(int i) {
  real_sigaction()(handled[i], &program_action[i], NULL);
  installed[i] = 0;
}

void tprof_signals_configure(void) {
  if (!real_sigaction())
    return;
  pthread_mutex_lock(&signals_mutex);
  static int captured;
  if (!captured) { /* the actions in force before us are the program's */
    for (int i = 0; i < 2; i++) real_sigaction()(handled[i], NULL, &program_action[i]);
    captured = 1;
  }
  for (int i = 0; i < 2; i++) {
    int want = tprof_cfg.handle_signals && !(!(program_action[i].sa_flags & SA_SIGINFO) &&
                                              program_action[i].sa_handler == SIG_IGN);
    if (want && !installed[i]) install(i);
    if (!want && installed[i]) uninstall(i);
  }
  pthread_mutex_unlock(&signals_mutex);
}

TPROF_EXPORT int sigaction(int sig, const struct sigaction *act, struct sigaction *old) {
  int i = slot_of(sig);
  if (i < 0 || !real_sigaction() || !tprof_cfg.handle_signals)
    return real_sigaction() ? real_sigaction()(sig, act, old) : (errno = ENOSYS, -1);
  pthread_mutex_lock(&signals_mutex);
  if (old)
    *old = program_action[i];
  if (act) {
    program_action[i] = *act;
    int ignore = !(act->sa_flags & SA_SIGINFO) && act->sa_handler == SIG_IGN;
    if (ignore) {
      real_sigaction()(sig, act, NULL);
      installed[i] = 0;
    } else if (!installed[i]) {
      install(i);
    }
  }
  pthread_mutex_unlock(&signals_mutex);
  return 0;
}

TPROF_EXPORT sighandler_t signal(int sig, sighandler_t handler) {
  struct sigaction act, old;
  memset(&act, 0, sizeof act);
  act.sa_handler = handler;
  act.sa_flags = SA_RESTART; /* signal()'s BSD semantics, as glibc gives them */
  sigemptyset(&act.sa_mask);
  if (sigaction(sig, &act, &old) != 0)
    return SIG_ERR;
  return (old.sa_flags & SA_SIGINFO) ? (sighandler_t)(void (*)(void))old.sa_sigaction : old.sa_handler;
}

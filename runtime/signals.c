/* SIGINT and SIGTERM (a user's Ctrl-C, a sandbox's timeout) still leave a
 * complete file set: our handler exports, then runs the handler the program
 * had installed before tprof started, if any, else lets the process die by
 * the same signal so its exit status shows it. A signal that was ignored
 * when the program started (nohup, a background job) stays ignored.
 *
 * A handler the program installs later replaces ours, as the program asked;
 * if that handler ends the process with exit(), the at-exit export still
 * writes the set. sigaction() is not wrapped on purpose: wrappers of it
 * break sanitizers and other tools that intercept it themselves. */
#include "internal.h"

#include <errno.h>
#include <signal.h>
#include <string.h>

static const int handled[] = {SIGINT, SIGTERM};
static struct sigaction previous[2]; /* the program's actions before ours */
static int installed[2];
static pthread_mutex_t signals_mutex = PTHREAD_MUTEX_INITIALIZER;

static int slot_of(int sig) { return sig == SIGINT ? 0 : 1; }

static int is_ignore(const struct sigaction *a) { return !(a->sa_flags & SA_SIGINFO) && a->sa_handler == SIG_IGN; }

/* A signal that arrived while its thread was inside the runtime (a hook
 * holding a lock or halfway through a table): handled when the hook leaves. */
static __thread int deferred_sig;
static __thread siginfo_t deferred_info;

static void handle(int sig, siginfo_t *info, void *context);

static void on_signal(int sig, siginfo_t *info, void *context) {
  if (tprof_tls_busy) {
    if (!deferred_sig) {
      deferred_sig = sig;
      if (info) deferred_info = *info;
      tprof_tls_busy++; /* the hook's last decrement now leaves it non-zero */
    }
    return;
  }
  handle(sig, info, context);
}

static void run_deferred_signal(void) {
  int sig = deferred_sig;
  tprof_tls_busy = 0;
  deferred_sig = 0;
  if (sig) handle(sig, &deferred_info, NULL);
}

static void handle(int sig, siginfo_t *info, void *context) {
  int saved_errno = errno;
  const struct sigaction *a = &previous[slot_of(sig)];
  int program_handler =
      (a->sa_flags & SA_SIGINFO) ? a->sa_sigaction != NULL : a->sa_handler != SIG_DFL && a->sa_handler != SIG_IGN;
  /* Dying of the signal right after this export: a snapshot started after
   * it would replace the signal's set, or be cut off half-written. (Not
   * tprof_flush_stop: a handler takes no lock.) */
  if (!program_handler) tprof_export_close_snapshots();
  if (tprof_cfg.export_profiling_data) tprof_export_now(TPROF_REASON_SIGNAL, NULL, 0);
  if (program_handler && (a->sa_flags & SA_SIGINFO)) {
    a->sa_sigaction(sig, info, context);
  } else if (program_handler) {
    a->sa_handler(sig);
  } else {
    /* The default action: die by this signal. */
    signal(sig, SIG_DFL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    raise(sig);
  }
  errno = saved_errno;
}

/* Puts the program's action back for each signal whose handler is still
 * ours. Signals mutex held. */
static void uninstall(int i) {
  struct sigaction current;
  if (sigaction(handled[i], NULL, &current) == 0 && (current.sa_flags & SA_SIGINFO) &&
      current.sa_sigaction == on_signal)
    sigaction(handled[i], &previous[i], NULL);
  installed[i] = 0;
}

void tprof_signals_unload(void) {
  sigset_t mask;
  tprof_signals_block(&mask);
  pthread_mutex_lock(&signals_mutex);
  for (int i = 0; i < 2; i++)
    if (installed[i]) uninstall(i);
  pthread_mutex_unlock(&signals_mutex);
  tprof_signals_restore(&mask);
}

void tprof_signals_configure(void) {
  sigset_t mask; /* a handler of this thread that forks must not find the mutex held (fork.c) */
  tprof_signals_block(&mask);
  pthread_mutex_lock(&signals_mutex);
  /* Ours only while a signal has a set to write or snapshots to close: with
   * nothing to export the program's own actions stay as they are (and a
   * start-up with the profile off makes no system call for them). */
  int wanted = tprof_cfg.handle_signals && (tprof_cfg.export_profiling_data || tprof_cfg.flush_interval_ms > 0);
  for (int i = 0; i < 2; i++) {
    if (wanted && !installed[i]) {
      struct sigaction current;
      if (sigaction(handled[i], NULL, &current) != 0 || is_ignore(&current)) continue;
      tprof_set_deferred_work(run_deferred_signal); /* before the handler can defer anything */
      struct sigaction ours;
      memset(&ours, 0, sizeof ours);
      ours.sa_sigaction = on_signal;
      ours.sa_flags = SA_SIGINFO | SA_RESTART;
      sigemptyset(&ours.sa_mask);
      if (sigaction(handled[i], &ours, &previous[i]) == 0) installed[i] = 1;
    } else if (!wanted && installed[i]) {
      uninstall(i); /* the program's action back, unless it has replaced ours since */
    }
  }
  pthread_mutex_unlock(&signals_mutex);
  tprof_signals_restore(&mask);
}

/* fork (fork.c): the child's mutex is made anew. */
void tprof_signals_fork_prepare(void) { pthread_mutex_lock(&signals_mutex); }
void tprof_signals_fork_parent(void) { pthread_mutex_unlock(&signals_mutex); }
void tprof_signals_fork_child(void) { signals_mutex = (pthread_mutex_t)PTHREAD_MUTEX_INITIALIZER; }

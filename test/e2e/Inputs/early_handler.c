/* Compiled without the plugin: installs a SIGTERM handler before tprof's
 * runtime starts (constructor priority 100 runs before the runtime's 101). */
#include <signal.h>
#include <string.h>
#include <unistd.h>

static void early_handler(int sig) {
  static const char msg[] = "early handler ran\n";
  (void)sig;
  write(1, msg, strlen(msg));
  _exit(9);
}

__attribute__((constructor(100))) static void install_early_handler(void) { signal(SIGTERM, early_handler); }

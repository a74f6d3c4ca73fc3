/* tprof report PATH...: the batch analysis (batch CSV, batch JSON, Markdown
 * report, three SVG pictures) over any number of metrics files, streamed. */
#ifndef TPROF_CLI_REPORT_H
#define TPROF_CLI_REPORT_H

int tp_cmd_report(int argc, char **argv);

#endif

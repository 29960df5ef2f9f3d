/* SPDX-License-Identifier: GPL-2.0 */
/* One entry point per command: int cmd_NAME(argc, argv), argv[0] being the command's name. */
#ifndef DAXTRACE_COMMANDS_H
#define DAXTRACE_COMMANDS_H

int cmd_top(int argc, char **argv);
int cmd_doctor(int argc, char **argv);
int cmd_share(int argc, char **argv);
int cmd_mapuse(int argc, char **argv);
int cmd_lat(int argc, char **argv);
int cmd_snoop(int argc, char **argv);
int cmd_cow(int argc, char **argv);
int cmd_exporter(int argc, char **argv);
int cmd_record(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_model(int argc, char **argv);

#endif /* DAXTRACE_COMMANDS_H */

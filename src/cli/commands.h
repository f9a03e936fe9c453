/*
 * commands.h - the command functions of the `oncobank` tool (see cli.h for
 * their contract). Each group lives in its own cmd_*.c file.
 */
#ifndef OB_COMMANDS_H
#define OB_COMMANDS_H

#include "cli/cli.h"

int ob_cmd_init(ob_cli *cli, int argc, char **argv);
int ob_cmd_site(ob_cli *cli, int argc, char **argv);
int ob_cmd_donor(ob_cli *cli, int argc, char **argv);
int ob_cmd_consent(ob_cli *cli, int argc, char **argv);
/* The donor record as lines for a person (donor show, consent show). */
struct ob_donor_full;
void ob_cli_donor_text(const struct ob_donor_full *f);
int ob_cmd_specimen(ob_cli *cli, int argc, char **argv);
/* specimen correct / history (cmd_correct.c) */
int ob_cmd_specimen_fix(ob_cli *cli, int argc, char **argv);
int ob_cmd_sprec(ob_cli *cli, int argc, char **argv);
/* studies (cmd_study.c) */
int ob_cmd_study(ob_cli *cli, int argc, char **argv);
/* shipments between sites (cmd_shipment.c) */
int ob_cmd_shipment(ob_cli *cli, int argc, char **argv);
int ob_cmd_audit(ob_cli *cli, int argc, char **argv);
/* identifiers keygen; donor identify / identifiers / find-mrn
 * (cmd_identifier.c) */
int ob_cmd_identifiers(ob_cli *cli, int argc, char **argv);
int ob_cmd_donor_identifiers(ob_cli *cli, int argc, char **argv);

#endif

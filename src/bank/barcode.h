/*
 * barcode.h - network-wide specimen barcodes with a check character.
 *
 * A barcode is 4 to 32 characters of 0-9 and A-Z whose last character is
 * the ISO/IEC 7064 MOD 37,36 check character of the rest: every single
 * character error and every transposition of adjacent characters is caught
 * at the scanner, before the database is asked.
 */
#ifndef OB_BARCODE_H
#define OB_BARCODE_H

#include <stddef.h>
#include <stdint.h>

#define OB_BARCODE_MAX 33

/* The check character for body (upper-case alphanumerics), or 0 when body
 * has another character. */
char ob_barcode_check_char(const char *body);

/* 0 when code is a well-formed barcode with the right check character;
 * OB_EINVALID with a message naming what is wrong otherwise. */
int ob_barcode_validate(const char *code);

/* Builds prefix + zero-padded serial (9 digits) + check character. */
int ob_barcode_make(const char *prefix, int64_t serial, char out[OB_BARCODE_MAX]);

#endif

/*
 * genecache.h - the binary gene-model cache that `oncobank genes index`
 * writes: every field of every transcript of a loaded GFF3 (gff.h), so a
 * whole genome's gene set loads in a fraction of the time the text takes.
 * ob_gff_load() recognises a cache by its magic, so every command that
 * takes --gff takes a cache too.
 *
 * Layout (all integers little-endian, docs/genes.md):
 *   magic "\x89OBGC\r\n\x1a" | u32 format version | u32 transcripts |
 *   u64 payload bytes | u64 payload checksum | payload
 * The payload begins with the source GFF's resolved path, size and
 * modification time; then the transcripts in ob_gff order. A cache whose
 * checksum, length or version is wrong is refused, and so is one whose
 * source still exists but has changed since (stale).
 */
#ifndef OB_GENECACHE_H
#define OB_GENECACHE_H

#include "genomics/gff.h"

#include <stdint.h>

/* The format version this build writes and reads. */
#define OB_GENECACHE_VERSION 1u

/* 1 when path begins like a gene cache (at least the first 4 bytes of the
 * magic, so a truncated cache is still told apart from GFF3 text), 0
 * otherwise, including when path cannot be read (the text loader then
 * reports that). */
int ob_genecache_sniff(const char *path);

/* Writes g, loaded from source, to path atomically: a temporary file in
 * the same folder, flushed to disk, then renamed over path. Returns 0 or
 * OB_ERROR ("PATH: message") when it cannot be written; nothing is left
 * behind on failure. */
int ob_genecache_write(const ob_gff *g, const char *source, const char *path);

/* Loads the cache at path into *out (free with ob_gff_free()). Returns 0;
 * OB_ERROR when it cannot be read; OB_EINVALID "PATH: ..." when it is not a
 * cache, is truncated or corrupt, has another format version, or its
 * source GFF has changed since it was written. */
int ob_genecache_read(ob_gff **out, const char *path);

#endif

# test_genes.sh - end-to-end tests of `oncobank genes`: index writes a cache
# that stats and annotate take in place of the GFF3, with the same counts and
# byte-identical annotation; damaged, truncated, other-version and stale
# caches are refused with exit 2 naming the file; usage errors exit 1.

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
MINI=$REPO/tests/data/genes/mini.gff3
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
BRCA=$SHARED/data/genomics/brca1-grch37

test_index_and_stats_agree() {
	cp "$MINI" g.gff3
	expect_exit 0 "$OB" genes index g.gff3 -o g.obgc
	contains "$T/err" "5 transcripts of g.gff3 written to g.obgc"
	expect_exit 0 "$OB" genes stats g.gff3
	cp "$T/out" text.txt
	contains text.txt "format	gff3"
	contains text.txt "genes	4"
	contains text.txt "transcripts	5"
	contains text.txt "coding	2"
	contains text.txt "contigs	3"
	contains text.txt "mane_select	2"
	expect_exit 0 "$OB" genes stats g.obgc
	contains "$T/out" "format	cache"
	same "$(tail -n +2 "$T/out")" "$(tail -n +2 text.txt)"
	expect_exit 0 "$OB" genes stats g.obgc --json
	contains "$T/out" '"format":"cache","genes":4,"transcripts":5,"coding":2,"contigs":3'
	# a pipe is read as GFF3 whole (peeking for the magic must not eat it)
	expect_exit 0 "$OB" genes stats <(cat g.gff3)
	contains "$T/out" "transcripts	5"
	# no temporary file left beside the cache
	same "$(ls | grep -c tmp || true)" "0"
}

test_annotate_same_with_cache() {
	[ -r "$BRCA/gencode19_brca1.gff3" ] || { echo "# SKIP no $BRCA"; return 0; }
	zcat "$BRCA/brca1_clinvar_truth.vcf.gz" | head -2000 > in.vcf
	cp "$BRCA/gencode19_brca1.gff3" g.gff3
	expect_exit 0 "$OB" genes index g.gff3 -o g.obgc
	expect_exit 0 "$OB" annotate --fasta "$BRCA/GRCh37_17_brca1_padded.fa.gz" --gff g.gff3 in.vcf -o a.vcf
	expect_exit 0 "$OB" annotate --fasta "$BRCA/GRCh37_17_brca1_padded.fa.gz" --gff g.obgc in.vcf -o b.vcf
	[ "$(grep -vc '^#' a.vcf)" -gt 1000 ]
	grep -q 'ANN=' a.vcf
	cmp a.vcf b.vcf
}

test_damaged_cache_is_refused() {
	cp "$MINI" g.gff3
	expect_exit 0 "$OB" genes index g.gff3 -o g.obgc
	size=$(stat -c %s g.obgc)
	# one byte flipped near the end
	cp g.obgc bad.obgc
	printf 'Z' | dd of=bad.obgc bs=1 seek=$((size - 5)) conv=notrunc status=none
	expect_exit 2 "$OB" genes stats bad.obgc
	contains "$T/err" "bad.obgc: corrupt gene cache (checksum mismatch)"
	# truncated
	head -c $((size / 2)) g.obgc > cut.obgc
	expect_exit 2 "$OB" genes stats cut.obgc
	contains "$T/err" "cut.obgc: truncated gene cache"
	# another format version
	cp g.obgc v9.obgc
	printf '\011' | dd of=v9.obgc bs=1 seek=8 conv=notrunc status=none
	expect_exit 2 "$OB" genes stats v9.obgc
	contains "$T/err" "v9.obgc: gene cache format version 9, this oncobank reads 1"
	# annotate refuses it the same way
	printf '>chr1\nACGTACGT\n' > x.fa
	printf '##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\nchr1\t2\t.\tC\tT\t.\t.\t.\n' > in.vcf
	expect_exit 0 "$OB" annotate --fasta x.fa --gff g.obgc in.vcf
	expect_exit 2 "$OB" annotate --fasta x.fa --gff v9.obgc in.vcf
	contains "$T/err" "v9.obgc: gene cache format version 9"
}

test_stale_cache_is_refused() {
	cp "$MINI" g.gff3
	expect_exit 0 "$OB" genes index g.gff3 -o g.obgc
	echo "# edited" >> g.gff3
	expect_exit 2 "$OB" genes stats g.obgc
	contains "$T/err" "g.obgc: stale gene cache: its source"
	contains "$T/err" "rebuild it with oncobank genes index"
	expect_exit 0 "$OB" genes index g.gff3 -o g.obgc
	expect_exit 0 "$OB" genes stats g.obgc
}

test_bad_gff_and_usage() {
	printf '1\tt\tCDS\t5\t9\t.\t+\t0\tParent=transcript:X\n' > bad.gff3
	expect_exit 2 "$OB" genes index bad.gff3 -o out.obgc
	contains "$T/err" "bad.gff3:1: CDS: unknown parent 'transcript:X'"
	[ ! -e out.obgc ]
	expect_exit 1 "$OB" genes index bad.gff3
	expect_exit 1 "$OB" genes frobnicate
	expect_exit 0 "$OB" genes --help
	contains "$T/out" "oncobank genes index GENES.gff3"
	cp "$MINI" g.gff3
	expect_exit 0 "$OB" genes index g.gff3 -o g.obgc
	expect_exit 2 "$OB" genes index g.obgc -o h.obgc
	contains "$T/err" "g.obgc: is a gene cache already"
	expect_exit 5 "$OB" genes index g.gff3 -o no-such-dir/x.obgc
	contains "$T/err" "no-such-dir/x.obgc: cannot create a temporary file beside it"
}

run_tests

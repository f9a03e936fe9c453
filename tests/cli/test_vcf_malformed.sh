#!/usr/bin/env bash
# test_vcf_malformed.sh - malformed VCF input to every command that reads a
# VCF (annotate, somatic, germline, prs): each case of the table below is a
# good file with one bad line (or a file that is no VCF at all), fed as
# plain VCF, bgzipped VCF and - where bcftools can write it - BCF. Every
# command must exit 2 with one stderr line, "FILE:LINE: FIELD: message" for
# a bad line, "FILE: record N: FIELD: message" for a BCF record and "FILE:
# not a VCF (why)" for a file that is not VCF (docs/annotation.md,
# "Malformed input"), and write nothing. The good file passes everywhere.

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
D=$SRC/tests/data/somatic

header() {
	printf '##fileformat=VCFv4.2\n##contig=<ID=7,length=16637>\n'
	printf '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n'
	printf '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n'
}
GOOD='7\t4503\trs1\tT\tG\t50\tPASS\t.\tGT\t0/1\n'

# bad_line NAME - the data line of case NAME (line 6 of its file)
bad_line() {
	case $1 in
	pos_abc)     printf '7\tabc\trs2\tC\tT\t.\tPASS\t.\tGT\t0/1\n' ;;
	pos_zero)    printf '7\t0\trs2\tC\tT\t.\tPASS\t.\tGT\t0/1\n' ;;
	pos_neg)     printf '7\t-5\trs2\tC\tT\t.\tPASS\t.\tGT\t0/1\n' ;;
	pos_huge)    printf '7\t99999999999999999999\trs2\tC\tT\t.\tPASS\t.\tGT\t0/1\n' ;;
	ref_star)    printf '7\t4219\trs2\tA*Z\tT\t.\tPASS\t.\tGT\t0/1\n' ;;
	ref_dot)     printf '7\t4219\trs2\t.\tT\t.\tPASS\t.\tGT\t0/1\n' ;;
	alt_bang)    printf '7\t4219\trs2\tC\tT!\t.\tPASS\t.\tGT\t0/1\n' ;;
	alt_empty)   printf '7\t4219\trs2\tC\tT,,G\t.\tPASS\t.\tGT\t0/1\n' ;;
	qual_word)   printf '7\t4219\trs2\tC\tT\thigh\tPASS\t.\tGT\t0/1\n' ;;
	id_empty)    printf '7\t4219\t\tC\tT\t.\tPASS\t.\tGT\t0/1\n' ;;
	cols_3)      printf '7\t4219\trs2\n' ;;
	no_format)   printf '7\t4219\trs2\tC\tT\t.\tPASS\t.\n' ;;
	samples_2)   printf '7\t4219\trs2\tC\tT\t.\tPASS\t.\tGT\t0/1\t1/1\n' ;;
	header_late) printf '##INFO=<ID=X,Number=1,Type=String,Description="late">\n' ;;
	esac
}

# expected NAME FILE - the message of case NAME for FILE
expected() {
	case $1 in
	pos_abc)     echo "$2:6: POS: 'abc' is not a position (a whole number from 1)" ;;
	pos_zero)    echo "$2:6: POS: '0' is not a position (a whole number from 1)" ;;
	pos_neg)     echo "$2:6: POS: '-5' is not a position (a whole number from 1)" ;;
	pos_huge)    echo "$2:6: POS: '99999999999999999999' is not a position (a whole number from 1)" ;;
	ref_star)    echo "$2:6: REF: 'A*Z' is not a sequence of bases (A C G T N)" ;;
	ref_dot)     echo "$2:6: REF: '.' is not a sequence of bases (A C G T N)" ;;
	alt_bang)    echo "$2:6: ALT: 'T!' is not an allele (bases A C G T N, '*', <ID> or a breakend)" ;;
	alt_empty)   echo "$2:6: ALT: 'T,,G' has an empty allele" ;;
	qual_word)   echo "$2:6: QUAL: 'high' is not a number" ;;
	id_empty)    echo "$2:6: ID: empty (a missing value is '.')" ;;
	cols_3)      echo "$2:6: REF: missing (the record has 3 columns, the #CHROM line 10)" ;;
	no_format)   echo "$2:6: FORMAT: missing (the record has 8 columns, the #CHROM line 10)" ;;
	samples_2)   echo "$2:6: FORMAT: the record has 11 columns, the #CHROM line 10" ;;
	header_late) echo "$2:6: CHROM: '##INFO=<ID=X,Number=1,Type=String,Descri...': a header line after the #CHROM line" ;;
	esac
}
CASES="pos_abc pos_zero pos_neg pos_huge ref_star ref_dot alt_bang alt_empty qual_word id_empty
	cols_3 no_format samples_2 header_late"

setup() {
	cp "$D/genome.fa" "$D/genes.gff3" .
	printf 'chr_name\tchr_position\teffect_allele\tother_allele\teffect_weight\n7\t4503\tG\tT\t0.5\n' \
		> score.txt
}

# run CMD FILE - one command on FILE; stdout in out, stderr in err, status in RC
run() {
	RC=0
	case $1 in
	annotate) "$OB" annotate --fasta genome.fa --gff genes.gff3 -o ann.vcf "$2" ;;
	somatic)  "$OB" somatic --tumor-type LUAD "$2" ;;
	germline) "$OB" --db none.db germline "$2" ;;
	prs)      "$OB" prs --score score.txt -o prs.tsv "$2" ;;
	esac > out 2> err || RC=$?
}

# refused CMD FILE MESSAGE - exit 2, stderr is the one line, nothing written
refused() {
	run "$1" "$2"
	[ "$RC" -eq 2 ] || { echo "$1 $2: exit $RC, expected 2" >&2; cat err >&2; return 1; }
	same "$(cat err)" "oncobank: $3"
	[ ! -e ann.vcf ] && [ ! -e prs.tsv ] && [ ! -e none.db ] ||
		{ echo "$1 $2: wrote a file" >&2; return 1; }
}

COMMANDS="annotate somatic germline prs"

test_good_file_passes_every_command() {
	setup
	{ header; printf "$GOOD"; } > good.vcf
	for c in $COMMANDS; do
		run "$c" good.vcf
		[ "$RC" -eq 0 ] || { echo "$c: exit $RC" >&2; cat err >&2; return 1; }
		rm -f ann.vcf prs.tsv
	done
}

test_bad_line_in_plain_vcf_is_refused_by_every_command() {
	local n c
	setup
	for n in $CASES; do
		{ header; printf "$GOOD"; bad_line "$n"; printf "$GOOD"; } > "$n.vcf"
		for c in $COMMANDS; do
			refused "$c" "$n.vcf" "$(expected "$n" "$n.vcf")"
		done
	done
}

test_bad_line_in_bgzipped_vcf_names_its_line() {
	local n c
	setup
	command -v bgzip > /dev/null || command -v bcftools > /dev/null ||
		{ echo "neither bgzip nor bcftools"; return 77; }
	for n in pos_abc pos_zero ref_star cols_3; do
		{ header; printf "$GOOD"; bad_line "$n"; } > "$n.vcf"
		if command -v bgzip > /dev/null; then bgzip -c "$n.vcf" > "$n.vcf.gz"
		else bcftools view --no-version -Oz -o "$n.vcf.gz" "$n.vcf" 2> /dev/null; fi
		for c in $COMMANDS; do
			refused "$c" "$n.vcf.gz" "$(expected "$n" "$n.vcf.gz")"
		done
	done
}

# BCF has no lines: "FILE: record N". bcftools writes what htslib parsed
# leniently (POS 0, REF 'A*Z'), as another tool might.
test_bad_record_in_bcf_names_its_number() {
	local c
	setup
	command -v bcftools > /dev/null || { echo "bcftools is not installed"; return 77; }
	{ header; printf "$GOOD"; bad_line ref_star; } > ref.vcf
	bcftools view --no-version -Ob -o ref.bcf ref.vcf 2> /dev/null
	{ header; printf "$GOOD"; bad_line pos_zero; } > pos.vcf
	bcftools view --no-version -Ob -o pos.bcf pos.vcf 2> /dev/null
	for c in $COMMANDS; do
		refused "$c" ref.bcf "ref.bcf: record 2: REF: 'A*Z' is not a sequence of bases (A C G T N)"
		refused "$c" pos.bcf "pos.bcf: record 2: POS: '0' is not a position (a whole number from 1)"
	done
}

test_file_that_is_not_a_vcf_is_refused_by_every_command() {
	local c i
	setup
	# binary data: a fixed pattern, then random bytes
	for i in $(seq 1 512); do printf '\x00\xff\x13\x37\x80\x01\xfe\x7f'; done > binary.vcf
	head -c 4096 /dev/urandom > random.vcf
	: > empty.vcf
	printf '7\t4503\trs1\tT\tG\t.\tPASS\t.\n' > bare.vcf
	printf '##fileformat=VCFv4.2\n##contig=<ID=7>\n' > nochrom.vcf
	printf '>7\nACGT\n' > fasta.vcf
	for c in $COMMANDS; do
		refused "$c" binary.vcf "binary.vcf: not a VCF (binary data: neither VCF text, bgzipped VCF nor BCF)"
		run "$c" random.vcf
		[ "$RC" -eq 2 ] && [ "$(wc -l < err)" -eq 1 ] ||
			{ echo "$c random.vcf: exit $RC" >&2; cat err >&2; return 1; }
		contains err "oncobank: random.vcf: not a VCF ("
		refused "$c" empty.vcf "empty.vcf: not a VCF (empty file)"
		refused "$c" bare.vcf "bare.vcf:1: header: a record before the #CHROM line (a VCF starts with ##fileformat= and has a #CHROM line)"
		refused "$c" nochrom.vcf "nochrom.vcf:2: header: no #CHROM line (a VCF starts with ##fileformat= and has a #CHROM line)"
		refused "$c" fasta.vcf "fasta.vcf: not a VCF (FASTA sequence text)"
	done
}

test_truncated_bgzf_is_refused_by_every_command() {
	local c size
	setup
	command -v bgzip > /dev/null || { echo "bgzip is not installed"; return 77; }
	{ header; awk 'BEGIN { for (i = 1; i <= 20000; i++) printf "7\t%d\trs%d\tT\tG\t.\tPASS\t.\tGT\t0/1\n", 4503, i }'; } \
		| bgzip -c > many.vcf.gz
	size=$(wc -c < many.vcf.gz)
	head -c $((size - 28)) many.vcf.gz > cut.vcf.gz     # the end-of-file block gone
	head -c $((size / 2)) many.vcf.gz > half.vcf.gz     # cut inside a block
	for c in $COMMANDS; do
		refused "$c" cut.vcf.gz "cut.vcf.gz: not a VCF (truncated BGZF file: no end-of-file block)"
		refused "$c" half.vcf.gz "half.vcf.gz: not a VCF (truncated BGZF file: no end-of-file block)"
	done
	# through a pipe the end cannot be checked first: the data breaks off
	"$OB" annotate --fasta genome.fa --gff genes.gff3 - < half.vcf.gz > /dev/null 2> err && return 1
	same "$(wc -l < err)" 1
	contains err "oncobank: -: not a VCF (corrupt or truncated data"
}

. "$(dirname "$0")/lib.sh"
run_tests

# test_annotate.sh - end-to-end tests of `oncobank annotate`: the ANN header
# and field, the three output types, errors for bad input, and agreement
# with bcftools csq on its own test cases ($SHARED/data/bcftools-csq, each
# record's INFO/EXP): consequence terms, transcript and, where bcftools gives
# a one-residue change, the protein change. The agreement figure goes to
# stderr (`OB=build/oncobank bash tests/cli/test_annotate.sh --agreement`);
# the test fails when it drops below the floor (a regression guard). The
# cases run twice: per record, and with --compound (bcftools' own default,
# haplotype-aware mode, which its expectations describe).

CSQ_FLOOR=${CSQ_FLOOR:-60}
FIXTURES=$(cd "$(dirname "${BASH_SOURCE[0]}")/../data/annotate" && pwd)

# compare_csq OUT.vcf [compound] - one line per record with INFO/EXP: "agree"
# or "disagree POS: why", comparing bcftools' BCSQ-style EXP with our ANN.
# With "compound" (output of --compound), a record bcftools points at the
# record carrying the combined consequence (EXP=@POS) agrees when one of its
# ANN entries carries the warning INFO_COMPOUND:POS.
compare_csq() {
	awk -F '\t' -v compound="${2:+1}" '
	function so(t) {
		if (t == "missense") return "missense_variant"
		if (t == "synonymous") return "synonymous_variant"
		if (t == "stop_retained") return "stop_retained_variant"
		if (t == "start_retained") return "start_retained_variant"
		if (t == "frameshift") return "frameshift_variant"
		if (t == "splice_acceptor") return "splice_acceptor_variant"
		if (t == "splice_donor") return "splice_donor_variant"
		if (t == "splice_region") return "splice_region_variant"
		if (t == "5_prime_utr") return "5_prime_UTR_variant"
		if (t == "3_prime_utr") return "3_prime_UTR_variant"
		if (t == "non_coding") return "non_coding_transcript_exon_variant"
		if (t == "intron") return "intron_variant"
		if (t == "coding_sequence") return "coding_sequence_variant"
		return t
	}
	function three(c) {
		return substr("AlaArgAsnAspCysGlnGluGlyHisIleLeuLysMetPheProSerThrTrpTyrValTer", \
			index("ARNDCQEGHILKMFPSTWYV*", c) * 3 - 2, 3)
	}
	# the sorted set of SO terms of a "&"-list, NMD_transcript dropped
	function termset(s, conv,   n, a, i, j, t, out) {
		n = split(s, a, "&")
		for (i = 1; i <= n; i++) { if (conv) a[i] = so(a[i]) }
		for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
		out = ""
		for (i = 1; i <= n; i++) if (a[i] != "NMD_transcript") out = out (out == "" ? "" : "&") a[i]
		return out
	}
	/^#/ { next }
	{
		xp = ""; ann = ""
		n = split($8, info, ";")
		for (i = 1; i <= n; i++) {
			if (info[i] ~ /^EXP=/) xp = substr(info[i], 5)
			if (info[i] ~ /^ANN=/) ann = substr(info[i], 5)
		}
		if (xp == "") next
		if (xp ~ /^@/) {
			# --compound: our entry points at the record bcftools names
			ptr = "INFO_COMPOUND:" substr(xp, 2); ok = 0
			na = split(ann, entries, ",")
			for (i = 1; i <= na; i++) {
				nf = split(entries[i], f, "|"); nw = split(f[nf], warns, "&")
				for (j = 1; j <= nw; j++) if (warns[j] == ptr) ok = 1
			}
			if (compound && ok) print "agree"
			else print "disagree " $2 ": compound (haplotype) consequence " xp
			next
		}
		na = split(ann, entries, ",")
		if (xp == ".") {
			bad = ""
			for (i = 1; i <= na; i++) {
				split(entries[i], f, "|")
				if (f[2] !~ /^(upstream_gene_variant|downstream_gene_variant|intergenic_variant|intron_variant|sequence_variant)$/) bad = f[2]
			}
			if (bad == "") print "agree"; else print "disagree " $2 ": expected nothing, got " bad
			next
		}
		ne = split(xp, ex, ",")
		why = ""; nk = 0
		delete wantof; delete aaof; delete keys
		for (k = 1; k <= ne; k++) {
			split(ex[k], e, "|")
			key = e[3] != "" ? "T" e[3] : "G" e[2]
			if (!(key in wantof)) { keys[++nk] = key; wantof[key] = e[1] }
			else wantof[key] = wantof[key] "&" e[1]
			if (e[6] != "") aaof[key] = e[6]
		}
		for (k = 1; k <= nk; k++) {
			key = keys[k]
			want = termset(wantof[key], 1); found = 0; got = ""
			for (i = 1; i <= na; i++) {
				split(entries[i], f, "|")
				if (key != "T" f[7] && key != "G" f[4]) continue
				found = 1; got = f[2]; p = f[11]
				break
			}
			if (!found) { why = why " no entry for " substr(key, 2); continue }
			# bcftools names intron only alone; we add it next to splice terms
			if (want !~ /intron/) { gsub(/&intron_variant|intron_variant&/, "", got) }
			got = termset(got, 0)
			if (got != want) { why = why " " want " vs " got; continue }
			aa = aaof[key]
			if (aa ~ /^[0-9]+[A-Z*]>[0-9]+[A-Z*]$/) {
				m = match(aa, /[A-Z*]>/); pos = substr(aa, 1, m - 1)
				r = substr(aa, m, 1); a = substr(aa, length(aa), 1)
				if (r == "M" && pos == 1 && a != "M") w = "p.Met1?"
				else if (r == a) w = "p." three(r) pos "="
				else w = "p." three(r) pos three(a)
				# a lost stop: we write p.Ter172Aspext*N or p.Ter172Aspfs..., bcftools 172*>172D
				if (w != p && !(r == "*" && index(p, "p.Ter" pos three(a)) == 1))
					why = why " protein " w " vs " p
			} else if (aa ~ /^[0-9]+[A-Z*]$/) {
				w = "p." three(substr(aa, length(aa), 1)) substr(aa, 1, length(aa) - 1) "="
				if (w != p) why = why " protein " w " vs " p
			}
		}
		if (why == "") print "agree"; else print "disagree " $2 ":" why
	}' "$1"
}

# csq_agreement FLOOR [--compound] - runs every case (with the option, if
# given), prints the disagreements and "cases agreeing: N/M" and fails below
# FLOOR.
csq_agreement() {
	local floor=$1 mode=${2:-} dir vcf fa gff agree=0 total=0 line
	for dir in "$SHARED"/data/bcftools-csq/*/; do
		fa=$(ls "$dir"*.fa 2> /dev/null | head -1)
		gff=$(ls "$dir"*.gff 2> /dev/null | head -1)
		[ -n "$fa" ] && [ -n "$gff" ] || continue
		for vcf in "$dir"*.vcf; do
			[ -e "$vcf" ] || continue
			grep -q 'EXP=' "$vcf" || continue
			if ! "$OB" annotate $mode --fasta "$fa" --gff "$gff" "$vcf" > "$T/out.vcf" 2> "$T/err"; then
				n=$(grep -v '^#' "$vcf" | grep -c 'EXP=')
				total=$((total + n))
				echo "$(basename "$dir")/$(basename "$vcf"): annotate failed: $(cat "$T/err")" >&2
				continue
			fi
			while read -r line; do
				total=$((total + 1))
				case $line in
				agree) agree=$((agree + 1)) ;;
				*) echo "$(basename "$dir")/$(basename "$vcf") $line" >> "$T/disagree" ;;
				esac
			done < <(compare_csq "$T/out.vcf" $mode)
		done
	done
	[ -s "$T/disagree" ] && sed 's/^/  /' "$T/disagree" >&2
	echo "bcftools csq cases agreeing${mode:+ with $mode}: $agree/$total" >&2
	rm -f "$T/disagree"
	[ "$total" -gt 0 ]
	[ "$agree" -ge "$floor" ] || { echo "below the floor of $floor" >&2; return 1; }
}

test_bcftools_csq_cases_agree() {
	csq_agreement "$CSQ_FLOOR"
}

# bcftools' default (haplotype-aware) mode against `annotate --compound`
CSQ_COMPOUND_FLOOR=${CSQ_COMPOUND_FLOOR:-81}
test_bcftools_csq_cases_agree_compound() {
	csq_agreement "$CSQ_COMPOUND_FLOOR" --compound
}

# HGVS.c of NM_007294.4 (BRCA1, minus strand) against SnpEff's in the
# BRCA1 ClinVar truth set ($SHARED/data/genomics/brca1-grch37): every indel
# 3'-shifted and dups named as SnpEff does. SnpEff's bases after del/dup and
# its "delXinsY" are read as today's HGVS "del", "dup", "delinsY".
HGVS_FLOOR=${HGVS_FLOOR:-1980}
test_brca1_indel_hgvs_c_agrees_with_snpeff() {
	local d=$SHARED/data/genomics/brca1-grch37 n
	"$OB" annotate --fasta "$d/GRCh37_17_brca1_padded.fa.gz" --gff "$d/refseq_brca1.gff3" \
		"$d/brca1_clinvar_truth.vcf.gz" > "$T/brca1.vcf"
	awk -F '\t' '!/^#/ { n = split($8, a, ";"); ann = ""
		for (i = 1; i <= n; i++) if (a[i] ~ /^ANN=/) ann = substr(a[i], 5)
		m = split(ann, e, ",")
		for (j = 1; j <= m; j++) { split(e[j], f, "|")
			if (f[7] == "NM_007294.4" && f[1] == $5) { print $2 "\t" $4 "\t" $5 "\t" f[10]; break } } }' \
		"$T/brca1.vcf" > "$T/ours.tsv"
	n=$(awk -F '\t' 'NR == FNR { c[$1 "\t" $2 "\t" $3] = $4; next }
		$9 ~ /SnpEff/ && length($3) != length($4) && !seen[$2 "\t" $3 "\t" $4]++ {
			t = $7; sub(/del[ACGT]+ins/, "delins", t); sub(/del[ACGT]+$/, "del", t); sub(/dup[ACGT]+$/, "dup", t)
			if (c[$2 "\t" $3 "\t" $4] == t) ok++; else print "  " $2 " " $3 ">" $4 ": " t " vs " c[$2 "\t" $3 "\t" $4] > "/dev/stderr" }
		END { print ok + 0 }' "$T/ours.tsv" "$d/brca1_clinvar_truth.tsv")
	echo "BRCA1 indel HGVS.c agreeing with SnpEff: $n (floor $HGVS_FLOOR)" >&2
	[ "$n" -ge "$HGVS_FLOOR" ]
}

# A one-gene genome: contig 7, 60 bases; GENE1 on + with exons 11-25 and
# 36-50, CDS 14-25 + 36-44 (ATG GTG AAA CGT | GGC TTA TAA).
setup_genome() {
	printf '>7\nGGGGGGGGGGCCCATGGTGAAACGTGTAAGTTTAGGGCTTATAACCCCCCGGGGGGGGGG\n' > "$T/ref.fa"
	{
		printf '7\tt\tgene\t11\t50\t.\t+\t.\tID=gene:G1;Name=GENE1;biotype=protein_coding\n'
		printf '7\tt\tmRNA\t11\t50\t.\t+\t.\tID=transcript:T1;Parent=gene:G1;biotype=protein_coding\n'
		printf '7\tt\texon\t11\t25\t.\t+\t.\tParent=transcript:T1\n'
		printf '7\tt\texon\t36\t50\t.\t+\t.\tParent=transcript:T1\n'
		printf '7\tt\tCDS\t14\t25\t.\t+\t0\tParent=transcript:T1\n'
		printf '7\tt\tCDS\t36\t44\t.\t+\t0\tParent=transcript:T1\n'
	} > "$T/genes.gff3"
	vcf_header() {
		printf '##fileformat=VCFv4.2\n##contig=<ID=%s>\n##contig=<ID=9>\n' "$1"
		printf '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n'
	}
}

annotate() { "$OB" annotate --fasta "$T/ref.fa" --gff "$T/genes.gff3" "$@"; }

test_snv_indel_and_intron_get_ann() {
	setup_genome
	{ vcf_header 7
	  printf '7\t18\t.\tT\tA\t.\t.\t.\n7\t20\t.\tA\tT\t.\t.\t.\n7\t28\t.\tA\tG\t.\t.\t.\n'
	  printf '7\t20\t.\tA\tAC\t.\t.\t.\n7\t43\t.\tA\tC\t.\t.\t.\n7\t55\t.\tG\tC\t.\t.\t.\n'; } > "$T/in.vcf"
	expect_exit 0 annotate "$T/in.vcf"
	contains "$T/out" '##INFO=<ID=ANN,Number=.,Type=String'
	contains "$T/out" 'ANN=A|missense_variant|MODERATE|GENE1|G1|transcript|T1|protein_coding|1/2|c.5T>A|p.Val2Glu|8/30|5/21|2/6||'
	contains "$T/out" 'ANN=T|stop_gained|HIGH|GENE1|G1|transcript|T1|protein_coding|1/2|c.7A>T|p.Lys3Ter|'
	contains "$T/out" 'ANN=G|splice_region_variant&intron_variant|LOW|GENE1|G1|transcript|T1|protein_coding|1/1|c.12+3A>G|'
	contains "$T/out" 'ANN=AC|frameshift_variant|HIGH|GENE1|G1|transcript|T1|protein_coding|1/2|c.7_8insC|p.Lys3'
	contains "$T/out" 'ANN=C|stop_lost|HIGH|GENE1|G1|transcript|T1|protein_coding|2/2|c.20A>C|p.Ter7SerextTer?|'
	contains "$T/out" 'ANN=C|downstream_gene_variant|MODIFIER|GENE1|G1|transcript|T1|protein_coding|||||||5|'
}

test_insertions_at_edges_and_start_codon_frameshift() {
	setup_genome
	{ vcf_header 7
	  printf '7\t25\t.\tT\tTA\t.\t.\t.\n7\t14\t.\tAT\tA\t.\t.\t.\n7\t44\t.\tA\tAG\t.\t.\t.\n'; } > "$T/in.vcf"
	expect_exit 0 annotate "$T/in.vcf"
	# after the exon's last base: the donor site, not a frameshift
	contains "$T/out" 'ANN=TA|splice_donor_variant&intron_variant|HIGH|GENE1|G1|transcript|T1|protein_coding|1/1|c.12_12+1insA||'
	# a frameshift that breaks Met1 is start_lost only
	contains "$T/out" 'ANN=A|start_lost|HIGH|GENE1|G1|transcript|T1|protein_coding|1/2|c.2del|p.Met1?|'
	# right after the stop codon: 3' UTR
	contains "$T/out" 'ANN=AG|3_prime_UTR_variant|MODIFIER|GENE1|G1|transcript|T1|protein_coding|2/2|c.21_*1insG||'
}

# --compound: codon 3 is AAA (20-22); A>T at 21 alone is Ile, A>G at 22
# alone is synonymous, both on one haplotype make ATG (Met).
test_compound_phased_sample_combines_one_haplotype() {
	setup_genome
	{ printf '##fileformat=VCFv4.2\n##contig=<ID=7>\n'
	  printf '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n'
	  printf '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n'
	  printf '7\t18\t.\tT\tA\t.\t.\t.\tGT\t0|1\n7\t21\t.\tA\tT\t.\t.\t.\tGT\t1|0\n'
	  printf '7\t22\t.\tA\tG\t.\t.\t.\tGT\t1|1\n7\t55\t.\tG\tC\t.\t.\t.\tGT\t1|1\n'; } > "$T/in.vcf"
	expect_exit 0 annotate --compound "$T/in.vcf"
	grep -v '^#' "$T/out" | cut -f2 | tr '\n' ' ' > "$T/order"
	same "$(cat "$T/order")" "18 21 22 55 "
	contains "$T/out" 'ANN=T|missense_variant|MODERATE|GENE1|G1|transcript|T1|protein_coding|1/2|c.8A>T|p.Lys3Met|11/30|8/21|3/6||INFO_COMPOUND_WITH:22,T|missense_variant|MODERATE|GENE1|G1|transcript|T1|protein_coding|1/2|c.8A>T|p.Lys3Ile|'
	contains "$T/out" 'ANN=G|synonymous_variant|LOW|GENE1|G1|transcript|T1|protein_coding|1/2|c.9A>G|p.Lys3=|12/30|9/21|3/6||INFO_COMPOUND:21'
	# 18 is on the other haplotype: alone
	grep -P '^7\t18\t' "$T/out" > "$T/r18"
	lacks "$T/r18" INFO_COMPOUND
	# without --compound: the same records, no compound entries
	expect_exit 0 annotate "$T/in.vcf"
	lacks "$T/out" INFO_COMPOUND
}

test_compound_unphased_and_no_samples() {
	setup_genome
	{ printf '##fileformat=VCFv4.2\n##contig=<ID=7>\n'
	  printf '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n'
	  printf '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n'
	  printf '7\t21\t.\tA\tT\t.\t.\t.\tGT\t0/1\n7\t22\t.\tA\tG\t.\t.\t.\tGT\t0/1\n'; } > "$T/in.vcf"
	expect_exit 0 annotate --compound "$T/in.vcf"
	lacks "$T/out" INFO_COMPOUND
	# the same sites without samples: one haplotype
	cut -f1-8 "$T/in.vcf" | grep -v '^##FORMAT' > "$T/sites.vcf"
	expect_exit 0 annotate --compound "$T/sites.vcf"
	contains "$T/out" '|p.Lys3Met|11/30|8/21|3/6||INFO_COMPOUND_WITH:22,'
	contains "$T/out" 'INFO_COMPOUND:21'
}

# Two ALTs at 21 on haplotypes of different samples; a haploid third
# sample shares S1's cluster, which is written once.
test_compound_multiallelic_and_several_samples() {
	setup_genome
	{ printf '##fileformat=VCFv4.2\n##contig=<ID=7>\n'
	  printf '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n'
	  printf '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\tS2\tS3\n'
	  printf '7\t21\t.\tA\tT,C\t.\t.\t.\tGT\t1|0\t2|0\t1\n'
	  printf '7\t22\t.\tA\tG\t.\t.\t.\tGT\t1|0\t1|0\t1\n'; } > "$T/in.vcf"
	expect_exit 0 annotate --compound "$T/in.vcf"
	contains "$T/out" '|c.8A>T|p.Lys3Met|11/30|8/21|3/6||INFO_COMPOUND_WITH:22,'
	contains "$T/out" 'C|missense_variant|MODERATE|GENE1|G1|transcript|T1|protein_coding|1/2|c.8A>C|p.Lys3Thr|11/30|8/21|3/6||INFO_COMPOUND_WITH:22,'
	same "$(grep -o 'p.Lys3Met' "$T/out" | wc -l)" 1
	same "$(grep -o 'INFO_COMPOUND:21' "$T/out" | wc -l)" 1
}

# C inserted after c.7 (exon 1) shifts the frame; C deleted at c.15 (exon 2,
# across the intron) restores it: ATG GTG ACA ACG TGG TTA TAA.
test_compound_frameshift_restored_across_an_intron() {
	setup_genome
	{ vcf_header 7; printf '7\t20\t.\tA\tAC\t.\t.\t.\n7\t37\t.\tGC\tG\t.\t.\t.\n'; } > "$T/in.vcf"
	expect_exit 0 annotate --compound -O b -o "$T/out.bcf" "$T/in.vcf"
	"$OB" annotate --compound --fasta "$T/ref.fa" --gff "$T/genes.gff3" "$T/in.vcf" > "$T/out.vcf"
	contains "$T/out.vcf" 'ANN=AC|missense_variant|MODERATE|GENE1|G1|transcript|T1|protein_coding|1/2|c.7_8insC|p.Lys3_Gly5delinsThrThrTrp|'
	contains "$T/out.vcf" 'INFO_COMPOUND_WITH:37,AC|frameshift_variant|HIGH|'
	contains "$T/out.vcf" 'ANN=G|frameshift_variant&splice_region_variant|HIGH|GENE1|G1|transcript|T1|protein_coding|2/2|c.15del|p.Leu6TyrfsTer?|18/30|15/21|6/6||INFO_COMPOUND:20'
	contains "$T/out.vcf" 'INFO_COMPOUND:20'
	[ -s "$T/out.bcf" ]
}

# tests/data/annotate/pick.gff3: three genes, seven transcripts.
test_pick_keeps_one_transcript_per_gene() {
	local gff=$FIXTURES/pick.gff3
	setup_genome
	{ vcf_header 7; printf '7\t18\t.\tT\tA\t.\t.\t.\n'; } > "$T/in.vcf"
	expect_exit 0 "$OB" annotate --fasta "$T/ref.fa" --gff "$gff" "$T/in.vcf"
	same "$(grep -v '^#' "$T/out" | grep -o '|transcript|T[0-9][a-z]|' | sort | tr -d '\n')" \
		'|transcript|T1a||transcript|T1b||transcript|T1c||transcript|T2a||transcript|T2b||transcript|T3a||transcript|T3b|'
	expect_exit 0 "$OB" annotate --pick --fasta "$T/ref.fa" --gff "$gff" "$T/in.vcf"
	# MANE Select over canonical and length; the longest CDS; the smaller ID
	same "$(grep -v '^#' "$T/out" | grep -o '|transcript|T[0-9][a-z]|' | sort | tr -d '\n')" \
		'|transcript|T1c||transcript|T2a||transcript|T3a|'
	contains "$T/out" 'ANN=A|missense_variant|MODERATE|GENE1|G1|transcript|T1c|protein_coding|1/1|c.5T>A|p.Val2Glu|'
}

# Many records (several BGZF blocks) of contig 7, bgzipped by annotate itself.
many_records_gz() {
	{ vcf_header 7
	  awk 'BEGIN { for (i = 0; i < 20000; i++) printf "7\t%d\trs%d\tT\tA\t.\t.\t.\n", 18, i }'; } > "$T/many.vcf"
	annotate -O z -o "$T/many.vcf.gz" "$T/many.vcf"
}

test_truncated_bgzf_input_fails_without_output() {
	local size
	setup_genome
	many_records_gz
	size=$(wc -c < "$T/many.vcf.gz")
	# cut short at a block boundary: the end-of-file block is missing
	head -c $((size - 28)) "$T/many.vcf.gz" > "$T/cut.vcf.gz"
	expect_exit 2 annotate -o "$T/res.vcf" "$T/cut.vcf.gz"
	contains "$T/err" 'cut.vcf.gz: not a VCF (truncated BGZF file: no end-of-file block)'
	[ ! -e "$T/res.vcf" ]
	# cut inside a block, read from a pipe (no end-of-file check possible)
	head -c $((size / 2)) "$T/many.vcf.gz" > "$T/half.vcf.gz"
	expect_exit 2 sh -c 'cat "$5" | "$1" annotate --fasta "$2" --gff "$3" -o "$4" -' sh "$OB" \
		"$T/ref.fa" "$T/genes.gff3" "$T/res.vcf" "$T/half.vcf.gz"
	contains "$T/err" '-: not a VCF (corrupt or truncated data'
	lacks "$T/err" 'warning'
	[ ! -e "$T/res.vcf" ]
}

test_vcf_without_header_names_file_and_line() {
	setup_genome
	printf '7\t18\t.\tT\tA\t.\t.\t.\n' > "$T/bare.vcf"
	expect_exit 2 annotate "$T/bare.vcf"
	contains "$T/err" 'bare.vcf:1: header: a record before the #CHROM line'
	printf '##fileformat=VCFv4.2\n##contig=<ID=7>\n7\t18\t.\tT\tA\t.\t.\t.\n' > "$T/nochrom.vcf"
	expect_exit 2 annotate "$T/nochrom.vcf"
	contains "$T/err" 'nochrom.vcf:3: header: a record before the #CHROM line'
	same "$(grep -c . "$T/out" || true)" 0
}

test_gff_cds_outside_transcript_names_file_and_line() {
	setup_genome
	{ vcf_header 7; printf '7\t18\t.\tT\tA\t.\t.\t.\n'; } > "$T/in.vcf"
	{ head -4 "$T/genes.gff3"; printf '7\tt\tCDS\t14\t55\t.\t+\t0\tParent=transcript:T1\n'; } > "$T/out.gff3"
	expect_exit 2 "$OB" annotate --fasta "$T/ref.fa" --gff "$T/out.gff3" "$T/in.vcf"
	contains "$T/err" 'out.gff3:5: CDS 14-55 outside its transcript T1 (11-50)'
	same "$(grep -c . "$T/out" || true)" 0
}

# bcftools csq's ENST00000341065/frame3.vcf 19026: GTG deleted across an
# intron/exon edge (CAG.GTGGCC), which slides wholly into the exon: the
# first codon of the exon goes, the acceptor stays; HGVS.c keeps the 3' rule.
test_deletion_straddling_exon_edge_slides_into_exon() {
	local d=$SHARED/data/bcftools-csq/ENST00000341065
	expect_exit 0 "$OB" annotate --fasta "$d/ENST00000341065.fa" --gff "$d/ENST00000341065.gff" "$d/frame3.vcf"
	contains "$T/out" 'ANN=CAGGCCAG|inframe_deletion&splice_region_variant|MODERATE|SAMD11|ENSG00000187634|transcript|ENST00000341065|protein_coding|12/12|c.1524-1_1525del|p.Val508del|'
}

test_chr_prefix_is_reconciled_and_ref_checked() {
	setup_genome
	{ vcf_header chr7
	  printf 'chr7\t18\t.\tT\tA\t.\t.\t.\nchr7\t18\t.\tC\tA\t.\t.\t.\n'; } > "$T/in.vcf"
	expect_exit 0 annotate "$T/in.vcf"
	contains "$T/out" 'ANN=A|missense_variant|MODERATE|GENE1'
	contains "$T/out" 'WARNING_REF_DOES_NOT_MATCH_GENOME'
	# the record is still annotated, and the command says so once
	same "$(grep -c 'ANN=A|missense_variant' "$T/out")" 2
	contains "$T/err" "in.vcf: 1 record(s) have a REF that disagrees with $T/ref.fa (the first at chr7:18)"
	lacks "$T/err" 'matches no contig'
}

test_symbolic_allele_and_unknown_contig_are_kept_with_warnings() {
	setup_genome
	{ vcf_header 7
	  printf '7\t30\t.\tG\t<DEL>,A\t.\t.\t.\n9\t5\t.\tA\tG\t.\t.\t.\n'; } > "$T/in.vcf"
	expect_exit 0 annotate "$T/in.vcf"
	contains "$T/out" '<DEL>|sequence_variant|MODIFIER|||||||||||||WARNING_ALLELE_NOT_ANNOTATED'
	contains "$T/out" 'ANN=A|splice_region_variant&intron_variant|LOW|GENE1|G1|transcript|T1|protein_coding|1/1|c.12+5G>A|'
	contains "$T/out" 'ANN=G|sequence_variant|MODIFIER|||||||||||||ERROR_CHROMOSOME_NOT_FOUND'
	contains "$T/err" "contig '9' matches no contig"
	same "$(grep -vc '^#' "$T/out")" 2
}

test_output_types_stdin_and_gzip_inputs() {
	setup_genome
	{ vcf_header 7; printf '7\t18\t.\tT\tA\t.\t.\t.\n'; } > "$T/in.vcf"
	annotate -O z -o "$T/out.vcf.gz" "$T/in.vcf"
	gzip -dc "$T/out.vcf.gz" | grep -q 'ANN=A|missense_variant'
	annotate -O b -o "$T/out.bcf" "$T/in.vcf"
	same "$(gzip -dc "$T/out.bcf" | head -c 3)" BCF
	annotate "$T/out.bcf" | grep -q 'ANN=A|missense_variant'
	annotate - < "$T/in.vcf" | grep -q 'ANN=A|missense_variant'
	gzip -c "$T/genes.gff3" > "$T/genes.gff3.gz"
	"$OB" annotate --fasta "$T/ref.fa" --gff "$T/genes.gff3.gz" "$T/out.vcf.gz" > "$T/again.vcf"
	same "$(grep -c 'ANN=A|missense_variant' "$T/again.vcf")" 1
}

test_bad_gff_and_usage_exit_codes() {
	setup_genome
	{ vcf_header 7; printf '7\t18\t.\tT\tA\t.\t.\t.\n'; } > "$T/in.vcf"
	printf '7\tt\tCDS\t14\t25\t.\t+\t0\tParent=transcript:T9\n' > "$T/bad.gff3"
	expect_exit 2 "$OB" annotate --fasta "$T/ref.fa" --gff "$T/bad.gff3" "$T/in.vcf"
	contains "$T/err" "bad.gff3:1: CDS: unknown parent 'transcript:T9'"
	expect_exit 1 "$OB" annotate --fasta "$T/ref.fa" "$T/in.vcf"
	expect_exit 1 "$OB" annotate --fasta "$T/ref.fa" --gff "$T/genes.gff3" -O x "$T/in.vcf"
	expect_exit 0 "$OB" annotate --help
	contains "$T/out" 'usage: oncobank annotate'
}

. "$(dirname "$0")/lib.sh"
# `test_annotate.sh --agreement` prints the agreement figure and the
# disagreements without the rest of the suite.
if [ "${1:-}" = --agreement ]; then
	T=$(mktemp -d); rc=0
	( cd "$T" && csq_agreement 0 && csq_agreement 0 --compound ) || rc=$?
	rm -rf "$T"; exit $rc
fi
run_tests

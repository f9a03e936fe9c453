# test_germline.sh - end-to-end tests of `oncobank clinvar` and `oncobank
# germline`: ClinVar import figures and re-import, lookups, bad input and
# usage errors with their exit statuses, the text/JSON/HTML outputs of the
# germline command on tests/data/germline/sample.vcf (RET ATA categories,
# ClinVar beside, manual evidence), and annotation on the fly with PS1/PM5
# on the GRCh37 BRCA1 region.

REPO=$(cd "$(dirname "$0")/../.." && pwd)
CLINVAR_SHARED=germline/clinvar_20260226_panel_GRCh38.vcf.gz
SAMPLE=$REPO/tests/data/germline/sample.vcf

# import_shared - imports the shared excerpt into ./cv.db
import_shared() {
	expect_exit 0 "$OB" clinvar import "$SHARED/data/genomics/$CLINVAR_SHARED" --db cv.db
}

test_clinvar_import_figures_and_reimport() {
	import_shared
	contains "$T/out" "clinvar release 2026-02-26 (GRCh38): 59832 records read, 57609 stored, 2223 skipped (2214 without a germline classification, 9 without a plain ALT allele)"
	expect_exit 4 "$OB" clinvar import "$SHARED/data/genomics/$CLINVAR_SHARED" --db cv.db
	contains "$T/err" "already imported; --replace replaces it"
	expect_exit 0 "$OB" clinvar import "$SHARED/data/genomics/$CLINVAR_SHARED" --db cv.db --replace
	contains "$T/out" "(GRCh38) replaced: 59832 records read, 57609 stored"
}

test_clinvar_lookup() {
	import_shared
	expect_exit 0 "$OB" clinvar lookup chr17:7675088:C:T --db cv.db
	contains "$T/out" "variation_id	12374"
	contains "$T/out" "significance	Pathogenic"
	contains "$T/out" "stars	3"
	expect_exit 3 "$OB" clinvar lookup 17:7675088:C:G --db cv.db
	expect_exit 2 "$OB" clinvar lookup 17-7675088 --db cv.db
}

test_clinvar_bad_input_names_line_and_writes_nothing() {
	printf '##fileformat=VCFv4.1\n##fileDate=2024-01-01\n##reference=GRCh38\n##contig=<ID=1>\n' > bad.vcf
	printf '##INFO=<ID=CLNSIG,Number=.,Type=String,Description="s">\n' >> bad.vcf
	printf '##INFO=<ID=CLNREVSTAT,Number=.,Type=String,Description="r">\n' >> bad.vcf
	printf '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n' >> bad.vcf
	printf '1\t10\t5\tA\tG\t.\t.\tCLNSIG=Benign;CLNREVSTAT=reviewed_by_expert_panel\n' >> bad.vcf
	printf '1\t11\t6\tA\tG\t.\t.\tCLNSIG=Benign\n' >> bad.vcf
	expect_exit 2 "$OB" clinvar import bad.vcf --db cv.db
	contains "$T/err" "bad.vcf:9: CLNREVSTAT: missing beside CLNSIG"
	same "$(sqlite3 cv.db 'SELECT count(*) FROM clinvar_variant')" 0
	same "$(sqlite3 cv.db 'SELECT count(*) FROM clinvar_release')" 0
	# a malformed record: the one checked reader's message, nothing stored
	{ head -8 bad.vcf; printf '1\t0\t6\tA\tG\t.\t.\tCLNSIG=Benign\n'; } > pos.vcf
	expect_exit 2 "$OB" clinvar import pos.vcf --db cv.db
	same "$(cat "$T/err")" "oncobank: pos.vcf:9: POS: '0' is not a position (a whole number from 1)"
	same "$(sqlite3 cv.db 'SELECT count(*) FROM clinvar_variant')" 0
	same "$(sqlite3 cv.db 'SELECT count(*) FROM clinvar_release')" 0
	expect_exit 1 "$OB" clinvar import
	expect_exit 1 "$OB" clinvar frobnicate
}

test_germline_text_without_clinvar() {
	expect_exit 0 "$OB" germline "$SAMPLE"
	contains "$T/out" "10:43121968:T:C	RET	c.2753T>C	p.Met918Thr	Uncertain significance	PM1,PM2_Supporting	-	highest (HST)"
	contains "$T/out" "10:43114500:T:C	RET	c.1900T>C	p.Cys634Arg"
	contains "$T/out" "high (H)"
	contains "$T/out" "moderate (MOD)"
	contains "$T/out" "17:43106476:A:T	BRCA1	c.1687C>T	p.Gln563Ter	Likely pathogenic	PVS1,PM2_Supporting"
	contains "$T/out" "PVS1_Moderate"
	lacks "$T/out" "KRAS"
	expect_exit 0 "$OB" germline --strict-2015 "$SAMPLE"
	contains "$T/out" "p.Gln563Ter	Uncertain significance	PVS1,PM2_Supporting"
	expect_exit 0 "$OB" germline --panel breast "$SAMPLE"
	lacks "$T/out" "RET"
	expect_exit 0 "$OB" germline --panel thyroid "$SAMPLE"
	lacks "$T/out" "BRCA1"
	contains "$T/out" "RET"
}

test_germline_json_and_html_with_clinvar_and_evidence() {
	import_shared
	printf 'variant\tcriterion\tstrength\treviewer\tnote\n10:43121968:T:C\tPS3\t\tdr-a\tassay\n' > ev.tsv
	expect_exit 0 "$OB" germline --db cv.db --evidence ev.tsv --json "$SAMPLE"
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); v={x["variant"]:x for x in d["variants"]}; m=v["10:43121968:T:C"]; assert m["ret_ata2015"]["category"]=="HST", m; assert m["manual_evidence"]; assert any(c["code"]=="PS3" and c["source"]=="reviewer dr-a" for c in m["criteria"]); b=v["17:43106476:A:T"]; assert b["clinvar"]["variation_id"]==141286 and b["clinvar"]["expert"] and not b["clinvar"]["disagrees"]; print("json ok")' "$T/out" > py.out
	contains py.out "json ok"
	expect_exit 0 "$OB" germline --db cv.db --evidence ev.tsv "$SAMPLE" --html report.html
	contains report.html "<!DOCTYPE html>"
	contains report.html "risk category <b>highest</b>"
	contains report.html "thyroidectomy in the first year of life"
	contains report.html "2026-02-26 (GRCh38)"
	lacks report.html "<script"
}

test_germline_errors() {
	expect_exit 1 "$OB" germline --panel lung "$SAMPLE"
	expect_exit 1 "$OB" germline
	expect_exit 1 "$OB" germline --json --html x.html "$SAMPLE"
	expect_exit 3 "$OB" germline --db nosuch.db "$SAMPLE"
	printf '10:43121968:T:C\tPS9\t\tdr-a\tx\n' > ev.tsv
	expect_exit 2 "$OB" germline --evidence ev.tsv "$SAMPLE"
	contains "$T/err" "ev.tsv:1: criterion:"
	expect_exit 0 "$OB" germline --help
	contains "$T/out" "usage: oncobank germline"
}

test_germline_on_the_fly_ps1_pm5() {
	local G=$SHARED/data/genomics/brca1-grch37
	expect_exit 0 "$OB" clinvar import "$REPO/tests/data/germline/clinvar_brca1_grch37.vcf" \
		--fasta "$G/GRCh37_17_brca1_padded.fa.gz" --gff "$G/refseq_brca1.gff3" --db g37.db
	contains "$T/out" "4 with a protein change"
	printf '##fileformat=VCFv4.2\n##contig=<ID=17>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n17\t41209087\t.\tT\tG\t.\t.\t.\n' > in.vcf
	expect_exit 0 "$OB" germline --db g37.db --fasta "$G/GRCh37_17_brca1_padded.fa.gz" \
		--gff "$G/refseq_brca1.gff3" in.vcf
	contains "$T/out" "p.Arg1753Ser	Likely pathogenic	PS1,PM5"
	expect_exit 0 "$OB" clinvar residue BRCA1 1753 p.Arg1753Ser --db g37.db
	contains "$T/out" "same_change_pathogenic	1	VCV 900001 p.Arg1753Ser"
	contains "$T/out" "other_change_pathogenic	1	VCV 900002 p.Arg1753Lys"
	expect_exit 1 "$OB" clinvar residue BRCA1 x --db g37.db
}

test_germline_polygenic_score_beside() {
	local P=$SHARED/data/genomics/prs want
	printf 'mean\t1.12\nsd\t0.83\n' > ref.txt
	expect_exit 0 "$OB" germline "$SAMPLE" --json --prs-score "$P/PGS000004_GRCh37.txt" \
		--prs-genotypes "$P/synthetic/synthetic_prs313_GRCh37_complete.vcf.gz" \
		--prs-sample S002 --prs-ref-dist ref.txt
	want=$(awk '$1 == "S002" { print $5 }' "$P/synthetic/plink2_complete.sscore")
	python3 -c 'import json,sys,math; d=json.load(open(sys.argv[1])); p=d["prs"]; w=float(sys.argv[2]); assert abs(p["score"]-w) <= 1e-5*max(1,abs(w)), (p, w); z=(w-1.12)/0.83; pc=50*(1+math.erf(z/math.sqrt(2))); assert abs(p["percentile"]-pc) < 0.05, (p, pc); assert p["variants_used"]==312; print("prs ok")' "$T/out" "$want" > py.out
	contains py.out "prs ok"
	expect_exit 0 "$OB" germline "$SAMPLE" --html r.html --prs-score "$P/PGS000004_GRCh37.txt" \
		--prs-genotypes "$P/synthetic/synthetic_prs313_GRCh37_complete.vcf.gz" \
		--prs-sample S002 --prs-ref-dist ref.txt
	contains r.html "<h2>Polygenic risk</h2>"
	contains r.html "In the reference distribution: percentile <b>"
	expect_exit 1 "$OB" germline "$SAMPLE" --prs-score "$P/PGS000004_GRCh37.txt"
	expect_exit 3 "$OB" germline "$SAMPLE" --prs-score "$P/PGS000004_GRCh37.txt" \
		--prs-genotypes "$P/synthetic/synthetic_prs313_GRCh37_complete.vcf.gz"
}

. "$(dirname "$0")/lib.sh"
run_tests

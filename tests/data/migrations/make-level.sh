#!/usr/bin/env bash
# make-level.sh OB OUT.sql - makes a small database with the oncobank binary
# OB (an old build: see README.md) and writes it as an SQL text dump to
# OUT.sql. The commands are those every level has; accounts and sequencing
# results are added when OB has them. The clock is fixed (OB_NOW) and the
# actor named (OB_USER), so the dump says nothing of the machine it was
# made on.
set -euo pipefail
OB=$(realpath "$1") OUT=$(realpath -m "$2")
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"
export OB_USER=operator OB_NOW=2025-06-02T09:00:00Z
ob() { "$OB" --db bank.db "$@" > /dev/null; }
ob site add NCC --kind center --name "National Cancer Center"
ob site add REG01 --kind regional --parent NCC --name "Regional Center 1"
ob site add HOS01 --kind hospital --parent REG01
ob donor add D1 --site REG01 --sex female --birth-year 1968
ob donor diagnose D1 --site REG01 --topography C50.9 --morphology 8500/3 --date 2025-05-01
ob consent add D1 --site REG01 --form v3 --signed 2025-01-05 --scope storage,research,genetic,sharing
ob donor add D2 --site HOS01 --sex male --birth-year 1955
ob consent add D2 --site HOS01 --form v3 --signed 2025-02-01 --scope storage,research
ob container add FRZ1 --kind freezer --site REG01 --temperature -80
ob container add BOX1 --kind box --parent FRZ1 --rows 9 --cols 9
p=$("$OB" --db bank.db specimen add --site REG01 --donor D1 --type plasma --quantity 4 --unit ml \
	--collected-at 2025-05-02T08:30:00Z --collection PED --precentrifugation 45 \
	--precentrifugation-temp RT --centrifugation 4/10/2000/brake --container BOX1 --position A1)
ob specimen aliquot "$p" --quantity 0.5 --unit ml --count 2 --container BOX1 --positions B1,B2
ob specimen add --site HOS01 --donor D2 --type whole_blood --quantity 5 --unit ml \
	--collected-at 2025-05-03T10:00:00Z
ob specimen status "$p" reserved --reason "project P-12"
# a full withdrawal names a disposition for the material since 010
disposition=
case "$("$OB" consent --help 2>&1 || true)" in
*--disposition*) disposition="--disposition keep" ;;
esac
ob consent withdraw D2 --site HOS01 --reason "asked by the donor" --date 2025-05-20 $disposition
if [ -n "$disposition" ]; then
	# coded statements (010): a donor who answered no to storage
	ob consent form-add v4 --title "Biobank consent 4" --effective-on 2025-01-01 \
		--statement "STORE:storage+research:My samples may be stored and used for research." \
		--statement "DNA:genetic:My samples may be used for genetic research."
	ob donor add D3 --site HOS01 --sex female --birth-year 1971
	ob consent add HOS01 D3 --form v4 --signed-on 2025-03-01 --witness "Nurse Li" \
		--response STORE=no --response DNA=yes
fi
if "$OB" --help | grep -q '^  user '; then
	echo "a long enough password" | "$OB" --db bank.db user add tech01 --site REG01 \
		--role technician --password-stdin > /dev/null
fi
if "$OB" --help | grep -q '^  sequencing '; then
	printf '##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n' > empty.vcf
	ob sequencing add "$p" --vcf empty.vcf --kind germline --assay "HBOC panel" --genome GRCh38
fi
"$OB" --db bank.db audit verify > /dev/null
sqlite3 bank.db .dump > "$OUT"

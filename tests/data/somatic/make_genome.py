#!/usr/bin/env python3
"""Writes genome.fa and genes.gff3: a small synthetic genome for the somatic
tests (tests/interp/test_somatic.c, tests/cli/test_somatic.sh).

Each gene is a synthetic transcript with the real protein length, strand,
exon count and the real codons at the positions the tests use (EGFR G719,
E746-A750 region, S768, D770-N771, T790, C797, L858, L861; KRAS G12, G13,
Q61; BRAF V600; MET exon 14; PIK3CA E545, H1047; PDGFRA D842; BRCA1), so
that HGVS numbering (c./p., exon ranks) reproduces the real one at those
codons. Every other codon is drawn at random (seed 5) among sense codons;
introns are 80 bp (GT...AG); exon boundaries are at codon boundaries chosen
so that the tested codons fall in their real exon. Coordinates are not the
real genome's. Run it from this folder; the output is committed.
"""
import random

rng = random.Random(5)
SENSE = [a + b + c for a in "ACGT" for b in "ACGT" for c in "ACGT"
         if a + b + c not in ("TAA", "TAG", "TGA")]


def rc(s):
    return s[::-1].translate(str.maketrans("ACGT", "TGCA"))


def rand_seq(n):
    return "".join(rng.choice("ACGT") for _ in range(n))


def intron():
    # GT at the donor, AG at the acceptor, no AG/GT right next to them
    return "GTAAGT" + "".join(rng.choice("CT") for _ in range(68)) + "TTTCAG"


# gene, chrom, strand, aa length, transcript, exon layout [(first codon, last codon)],
# fixed codons {codon: triplet}
GENES = [
    ("EGFR", "7", +1, 1210, "ENST00000275493",
     # exons 1-18 split evenly over 1-728, 19: 729-761, 20: 762-823, 21: 824-875, 22-28
     None, {719: "GGC", 745: "AAG", 746: "GAA", 747: "TTA", 748: "AGA", 749: "GAA",
            750: "GCA", 751: "ACA", 752: "TCT", 753: "CCG", 766: "ATG", 767: "GCC",
            768: "AGC", 769: "GTG", 770: "GAC", 771: "AAC", 772: "CCC", 773: "CAC",
            790: "ACG", 797: "TGC", 858: "CTG", 861: "CTG"}),
    ("MET", "7", +1, 1390, "ENST00000397752", None,
     {1003: "TAC", 1010: "GAT"}),
    ("BRAF", "7", -1, 766, "ENST00000288602", None,
     {600: "GTG", 601: "AAA"}),
    ("KRAS", "12", -1, 189, "ENST00000256078", None,
     {12: "GGT", 13: "GGC", 61: "CAA"}),
    ("PIK3CA", "3", +1, 1068, "ENST00000263967", None,
     {542: "GAA", 545: "GAG", 1047: "CAT"}),
    ("PDGFRA", "4", +1, 1089, "ENST00000257290", None,
     {842: "GAC"}),
    ("BRCA1", "17", -1, 1863, "ENST00000357654", None, {}),
]

# exon layouts (codon ranges in transcript order); the stop codon follows the last
def even(first, last, n):
    step = (last - first + 1) / n
    out, a = [], first
    for i in range(n):
        b = first + round(step * (i + 1)) - 1 if i < n - 1 else last
        out.append((a, b))
        a = b + 1
    return out


LAYOUT = {
    "EGFR": even(1, 728, 18) + [(729, 761), (762, 823), (824, 875)] + even(876, 1210, 7),
    "MET": even(1, 962, 13) + [(963, 1009)] + even(1010, 1390, 7),
    "BRAF": even(1, 580, 14) + [(581, 620)] + even(621, 766, 3),
    "KRAS": [(1, 37), (38, 97), (98, 150), (151, 189)],
    "PIK3CA": even(1, 1016, 20) + [(1017, 1068)],
    "PDGFRA": even(1, 814, 17) + [(815, 855)] + even(856, 1089, 5),
    "BRCA1": even(1, 1863, 22),
}
# KRAS's first exon is non-coding (5' UTR only): exon 2 holds codons 1-37
UTR5_EXON = {"KRAS"}

contigs = {}
gff = ["##gff-version 3"]
CMAP = {}  # gene -> list: CDS offset (c.N - 1) -> genomic position
GINFO = {}  # gene -> (chrom, strand)
for name, chrom, strand, aalen, tx, _, fixed in GENES:
    codons = []
    for i in range(1, aalen + 1):
        codons.append("ATG" if i == 1 else fixed.get(i, rng.choice(SENSE)))
    codons.append("TAA")
    layout = LAYOUT[name]
    # transcript-order pieces: ("exon", seq, is_cds_from, cds_to) / ("intron", seq)
    exons = []  # (utr5, cds, utr3) per exon in transcript order
    if name in UTR5_EXON:
        exons.append((rand_seq(60), "", ""))
    for k, (a, b) in enumerate(layout):
        cds = "".join(codons[a - 1:b])
        if k == len(layout) - 1:
            cds += codons[-1]
        utr5 = rand_seq(30) if k == 0 and name not in UTR5_EXON else ""
        utr3 = rand_seq(40) if k == len(layout) - 1 else ""
        exons.append((utr5, cds, utr3))
    # transcript-order sequence with introns
    pieces = []
    for k, (u5, cds, u3) in enumerate(exons):
        if k:
            pieces.append(("intron", intron()))
        pieces.append(("exon", u5, cds, u3))
    seq = contigs.setdefault(chrom, [rand_seq(300)])
    start = sum(len(x) for x in seq) + 1
    # build the gene's genomic (plus-strand) sequence
    tx_seq = "".join(p[1] if p[0] == "intron" else p[1] + p[2] + p[3] for p in pieces)
    glen = len(tx_seq)
    genomic = tx_seq if strand > 0 else rc(tx_seq)
    seq.append(genomic)
    seq.append(rand_seq(300))
    end = start + glen - 1
    s = "+" if strand > 0 else "-"
    gff.append(f"{chrom}\tsyn\tgene\t{start}\t{end}\t.\t{s}\t.\t"
               f"ID=gene:{name};Name={name};biotype=protein_coding")
    gff.append(f"{chrom}\tsyn\tmRNA\t{start}\t{end}\t.\t{s}\t.\t"
               f"ID=transcript:{tx};Parent=gene:{name};biotype=protein_coding;"
               f"tag=Ensembl_canonical")
    # transcript-order offsets -> genomic coordinates
    off = 0
    cds_done = 0
    exlist = []  # (exon start, end, CDS start, end or None) in transcript order
    for p in pieces:
        if p[0] == "intron":
            off += len(p[1])
            continue
        _, u5, cds, u3 = p
        elen = len(u5) + len(cds) + len(u3)
        t0, t1 = off, off + elen - 1  # 0-based transcript offsets
        c0, c1 = off + len(u5), off + len(u5) + len(cds) - 1

        def g(t):
            return start + t if strand > 0 else end - t
        ga, gb = sorted((g(t0), g(t1)))
        gff.append(f"{chrom}\tsyn\texon\t{ga}\t{gb}\t.\t{s}\t.\tParent=transcript:{tx}")
        exlist.append((ga, gb) + (tuple(sorted((g(c0), g(c1)))) if cds else (None, None)))
        if cds:
            CMAP.setdefault(name, []).extend(g(t) for t in range(c0, c1 + 1))
            GINFO[name] = (chrom, strand)
            if name == "MET" and len(CMAP[name]) // 3 == 1009:
                GINFO["MET_ex14_donor"] = g(c1) + 1  # intron 14, first base
            ca, cb = sorted((g(c0), g(c1)))
            phase = (3 - cds_done % 3) % 3
            gff.append(f"{chrom}\tsyn\tCDS\t{ca}\t{cb}\t.\t{s}\t{phase}\t"
                       f"ID=CDS:{tx};Parent=transcript:{tx}")
            cds_done += len(cds)
        off += elen
    if name == "EGFR":
        # a second, untagged EGFR transcript without exon 2 (in frame): its
        # codon numbers differ, so the canonical one must be preferred
        alt = "ENST00000455089"
        kept = [e for k, e in enumerate(exlist) if k != 1]
        gff.append(f"{chrom}\tsyn\tmRNA\t{start}\t{end}\t.\t{s}\t.\t"
                   f"ID=transcript:{alt};Parent=gene:{name};biotype=protein_coding")
        done = 0
        for ga, gb, ca, cb in kept:
            gff.append(f"{chrom}\tsyn\texon\t{ga}\t{gb}\t.\t{s}\t.\tParent=transcript:{alt}")
            if ca is not None:
                gff.append(f"{chrom}\tsyn\tCDS\t{ca}\t{cb}\t.\t{s}\t{(3 - done % 3) % 3}\t"
                           f"ID=CDS:{alt};Parent=transcript:{alt}")
                done += cb - ca + 1

with open("genome.fa", "w") as f:
    for chrom in sorted(contigs, key=lambda c: int(c)):
        s = "".join(contigs[chrom])
        f.write(f">{chrom}\n")
        for i in range(0, len(s), 60):
            f.write(s[i:i + 60] + "\n")
with open("genes.gff3", "w") as f:
    f.write("\n".join(gff) + "\n")

# ---- the test cases: cases.vcf -----------------------------------------
genome = {c: "".join(v) for c, v in contigs.items()}


def base(chrom, pos):
    return genome[chrom][pos - 1]


def snv(gene, c, tx_ref, tx_alt):
    """c.<c><tx_ref>><tx_alt> on the transcript strand -> VCF chrom, pos, ref, alt."""
    chrom, strand = GINFO[gene]
    pos = CMAP[gene][c - 1]
    ref, alt = (tx_ref, tx_alt) if strand > 0 else (rc(tx_ref), rc(tx_alt))
    assert base(chrom, pos) == ref, (gene, c, base(chrom, pos), ref)
    return chrom, pos, ref, alt


def deletion(gene, c_from, c_to, extra=0):
    """c.<from>_<to>del (plus-strand gene) in VCF style with its anchor base;
    extra > 0 writes it non-minimally with that many bases after the deletion."""
    chrom, strand = GINFO[gene]
    assert strand > 0
    a = CMAP[gene][c_from - 1] - 1
    b = CMAP[gene][c_to - 1]
    ref = genome[chrom][a - 1:b + extra]
    alt = genome[chrom][a - 1] + genome[chrom][b:b + extra]
    return chrom, a, ref, alt


cases = [
    ("EGFR_L858R", "LUAD", snv("EGFR", 2573, "T", "G")),
    ("EGFR_T790M", "LUAD", snv("EGFR", 2369, "C", "T")),
    ("EGFR_EX19_A", "LUAD", deletion("EGFR", 2236, 2250)),
    ("EGFR_EX19_B", "LUAD", deletion("EGFR", 2235, 2249)),
    ("EGFR_EX19_C", "LUAD", deletion("EGFR", 2236, 2250, extra=3)),
    ("EGFR_EX19_D", "LUAD", deletion("EGFR", 2240, 2257)),
    ("KRAS_G12C", "NSCLC", snv("KRAS", 34, "G", "T")),
    ("BRAF_V600E", "SKCM", snv("BRAF", 1799, "T", "A")),
    ("PDGFRA_D842V", "GIST", snv("PDGFRA", 2525, "A", "T")),
    ("PIK3CA_H1047R", "IDC", snv("PIK3CA", 3140, "A", "G")),
    ("MET_EX14", "LUAD", ("7", GINFO["MET_ex14_donor"], base("7", GINFO["MET_ex14_donor"]),
                          "A" if base("7", GINFO["MET_ex14_donor"]) != "A" else "C")),
    ("BRCA1_FS", "HGSOC", deletion_m := None),
]
# BRCA1 (minus strand): a one-base deletion in codon 700, written at the
# genomic left of the deleted base with its anchor
chrom, strand = GINFO["BRCA1"]
p = CMAP["BRCA1"][2099 - 1]  # c.2099
cases[-1] = ("BRCA1_FS", "HGSOC", (chrom, p - 1, genome[chrom][p - 2:p], genome[chrom][p - 2]))
# MET: a 10-base deletion across the exon 14 / intron 14 boundary (the last
# five exon bases and the first five intron bases, donor site included)
d = GINFO["MET_ex14_donor"]  # first intron base
cases.append(("MET_EX14_DEL", "LUAD", ("7", d - 6, genome["7"][d - 7:d + 4], genome["7"][d - 7])))
# a multi-allelic KRAS codon 12 site: c.35G>A (G12D) and c.35G>C (G12A)
kc, kp, kr, ka = snv("KRAS", 35, "G", "A")
cases.append(("KRAS_G12_MULTI", "COADREAD", (kc, kp, kr, ka + "," + rc("C"))))

order = {"3": 0, "4": 1, "7": 2, "12": 3, "17": 4}
with open("cases.vcf", "w") as f:
    f.write("##fileformat=VCFv4.2\n")
    for c in sorted(genome, key=lambda x: order[x]):
        f.write(f"##contig=<ID={c},length={len(genome[c])}>\n")
    f.write("##tumor_sample=TUMOR\n")
    f.write('##INFO=<ID=CASE,Number=1,Type=String,Description="test case">\n')
    f.write('##INFO=<ID=TT,Number=1,Type=String,Description="tumour type (OncoTree)">\n')
    f.write('##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n')
    f.write('##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">\n')
    f.write("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tNORMAL\tTUMOR\n")
    rows = sorted(cases, key=lambda x: (order[x[2][0]], x[2][1]))
    for name, tt, (c, pos, ref, alt) in rows:
        nalt = alt.count(",") + 1
        ad_n = ",".join(["40"] + ["0"] * nalt)
        ad_t = ",".join(["60"] + ["40"] + ["20"] * (nalt - 1))
        f.write(f"{c}\t{pos}\t.\t{ref}\t{alt}\t.\tPASS\tCASE={name};TT={tt}\t"
                f"GT:AD\t0/0:{ad_n}\t0/1:{ad_t}\n")

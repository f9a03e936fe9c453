#!/usr/bin/env python3
"""synth_gff.py [SEED] - writes to stdout a synthetic whole-genome-sized GFF3
in the Ensembl layout oncobank reads: 20,000 genes with 3 transcripts each
(60,000; about 1 in 6 non-coding), 4-14 exons per transcript, over 24 contigs,
tags (Ensembl_canonical, MANE_Select) on the first transcript of each gene.
Deterministic for a seed (default 42). Used to time `oncobank genes index`
and the cache load (docs/genes.md)."""
import random
import sys

seed = int(sys.argv[1]) if len(sys.argv) > 1 else 42
rng = random.Random(seed)
contigs = [str(i) for i in range(1, 23)] + ["X", "Y"]
out = sys.stdout
out.write("##gff-version 3\n")
gene_no = 0
for ci, chrom in enumerate(contigs):
    pos = 10000
    ngenes = 20000 // len(contigs) + (1 if ci < 20000 % len(contigs) else 0)
    for _ in range(ngenes):
        gene_no += 1
        gid = "ENSG%011d" % gene_no
        strand = rng.choice("+-")
        nex = rng.randint(4, 14)
        exons, p = [], pos
        for _ in range(nex):
            ln = rng.randint(60, 400)
            exons.append((p, p + ln - 1))
            p += ln + rng.randint(200, 8000)
        gbeg, gend = exons[0][0], exons[-1][1]
        out.write("%s\tsynth\tgene\t%d\t%d\t.\t%s\t.\tID=gene:%s;Name=G%d;biotype=protein_coding\n"
                  % (chrom, gbeg, gend, strand, gid, gene_no))
        for k in range(3):
            tid = "ENST%011d" % (gene_no * 3 + k)
            # each isoform skips a different internal exon
            ex = [e for i, e in enumerate(exons) if k == 0 or i != k]
            coding = k == 0 or rng.random() < 0.75
            tags = ";tag=basic,Ensembl_canonical,MANE_Select" if k == 0 else ";tag=basic"
            out.write("%s\tsynth\tmRNA\t%d\t%d\t.\t%s\t.\tID=transcript:%s;Parent=gene:%s;"
                      "biotype=%s;version=%d%s\n"
                      % (chrom, ex[0][0], ex[-1][1], strand, tid, gid,
                         "protein_coding" if coding else "retained_intron", rng.randint(1, 9), tags))
            for n, (b, e) in enumerate(ex):
                out.write("%s\tsynth\texon\t%d\t%d\t.\t%s\t.\tParent=transcript:%s;rank=%d\n"
                          % (chrom, b, e, strand, tid, n + 1))
            if coding:
                # CDS from 30 bases into the first exon to 30 before the end
                # of the last, phases from the 5' end
                cds = [[b, e] for b, e in ex]
                cds[0][0] += 30
                cds[-1][1] -= 30
                order = cds if strand == "+" else cds[::-1]
                done = 0
                for b, e in order:
                    phase = (3 - done % 3) % 3
                    out.write("%s\tsynth\tCDS\t%d\t%d\t.\t%s\t%d\tID=CDS:ENSP%011d;Parent=transcript:%s;"
                              "protein_id=ENSP%011d\n" % (chrom, b, e, strand, phase,
                                                          gene_no * 3 + k, tid, gene_no * 3 + k))
                    done += e - b + 1
        pos = gend + rng.randint(5000, 60000)

/*
 * demo.c - the demonstration biobank of demo.h: a deterministic generator
 * that drives the domain API (sites, donors, consents, containers,
 * specimens) from a seeded PRNG inside one transaction.
 *
 * Layout: the PRNG and calendar helpers; the data tables (network, cancers,
 * storage layout, projects); storage allocation (boxes filled position by
 * position, racks and freezers added as they fill); one donor's story
 * (registration, diagnosis, consent, tissue, blood, fluids, aliquots,
 * extracts, later status changes, possibly a withdrawal); the driver.
 */
#include "bank/demo.h"
#include "bank/barcode.h"
#include "bank/consent.h"
#include "bank/container.h"
#include "bank/donor.h"
#include "bank/site.h"
#include "bank/specimen.h"
#include "bank/study.h"
#include "base/error.h"
#include "base/util.h"
#include "store/store.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* snprintf without the compiler's truncation guesses: every text built
 * here fits its buffer by construction (codes and numbers of known width),
 * and a truncated one would be refused by the domain check anyway. */
static void textf(char *out, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void textf(char *out, size_t n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out, n, fmt, ap);
	va_end(ap);
}

/* ---- PRNG: splitmix64, so the data never depend on the C library ---- */

typedef struct rng {
	uint64_t s;
} rng;

static uint64_t rnext(rng *r)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double unif(rng *r)
{
	return (double)(rnext(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* Uniform integer in [lo, hi]. */
static int irange(rng *r, int lo, int hi)
{
	return lo + (int)(unif(r) * (double)(hi - lo + 1));
}

/* Uniform number in [lo, hi), rounded to step. */
static double drange(rng *r, double lo, double hi, double step)
{
	return round((lo + unif(r) * (hi - lo)) / step) * step;
}

static bool chance(rng *r, double p)
{
	return unif(r) < p;
}

/* Roughly normal (Irwin-Hall of four), mean m, standard deviation sd. */
static double bell(rng *r, double m, double sd)
{
	double x = unif(r) + unif(r) + unif(r) + unif(r) - 2.0;

	return m + x * sd * 1.7320508;
}

/* Index picked with probability proportional to w[i]. */
static int pick_weighted(rng *r, const int *w, int n)
{
	int total = 0, x;

	for (int i = 0; i < n; i++)
		total += w[i];
	x = (int)(unif(r) * total);
	for (int i = 0; i < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

/* ---- calendar: days since 1970-01-01 (H. Hinnant's civil algorithms) ---- */

static int days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

static void civil_from_days(int z, int *y, int *m, int *d)
{
	z += 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;

	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp + (mp < 10 ? 3 : -9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* The demo's present: the last day anything in it happens on (a date
 * after the machine's today would be refused as in the future). */
static int demo_end(void)
{
	return days_from_civil(2025, 6, 30);
}

static void day_text(int day, char out[OB_TIME_LEN])
{
	int y, m, d;

	civil_from_days(day, &y, &m, &d);
	textf(out, OB_TIME_LEN, "%04d-%02d-%02d", y, m, d);
}

/* A moment: day plus minutes after midnight (may exceed a day). */
static void moment_text(int day, int minute, char out[OB_TIME_LEN])
{
	int y, m, d;

	day += minute / 1440;
	minute %= 1440;
	civil_from_days(day, &y, &m, &d);
	textf(out, OB_TIME_LEN, "%04d-%02d-%02dT%02d:%02d:00Z", y, m, d, minute / 60, minute % 60);
}

static int year_of(int day)
{
	int y, m, d;

	civil_from_days(day, &y, &m, &d);
	return y;
}

/* ---- the network ---- */

typedef struct site_def {
	const char *code, *name, *kind, *parent;
	int weight;  /* share of the donors registered there; 0: collects none */
} site_def;

static const site_def site_defs[] = {
	{ "NCC", "National Cancer Center", "center", NULL, 9 },
	{ "SUBN", "Northern Sub-center", "sub-center", "NCC", 0 },
	{ "SUBS", "Southern Sub-center", "sub-center", "NCC", 0 },
	{ "REG01", "Hebei Regional Cancer Center, Shijiazhuang", "regional", "SUBN", 5 },
	{ "REG02", "Shanxi Regional Cancer Center, Taiyuan", "regional", "SUBN", 3 },
	{ "REG03", "Liaoning Regional Cancer Center, Shenyang", "regional", "SUBN", 5 },
	{ "REG04", "Jilin Regional Cancer Center, Changchun", "regional", "SUBN", 3 },
	{ "REG05", "Heilongjiang Regional Cancer Center, Harbin", "regional", "SUBN", 4 },
	{ "REG06", "Shandong Regional Cancer Center, Jinan", "regional", "SUBN", 6 },
	{ "REG07", "Henan Regional Cancer Center, Zhengzhou", "regional", "SUBN", 6 },
	{ "REG08", "Shaanxi Regional Cancer Center, Xi'an", "regional", "SUBN", 4 },
	{ "REG09", "Jiangsu Regional Cancer Center, Nanjing", "regional", "SUBN", 6 },
	{ "REG10", "Anhui Regional Cancer Center, Hefei", "regional", "SUBN", 4 },
	{ "REG11", "Zhejiang Regional Cancer Center, Hangzhou", "regional", "SUBS", 6 },
	{ "REG12", "Fujian Regional Cancer Center, Fuzhou", "regional", "SUBS", 4 },
	{ "REG13", "Jiangxi Regional Cancer Center, Nanchang", "regional", "SUBS", 3 },
	{ "REG14", "Hubei Regional Cancer Center, Wuhan", "regional", "SUBS", 5 },
	{ "REG15", "Hunan Regional Cancer Center, Changsha", "regional", "SUBS", 5 },
	{ "REG16", "Guangdong Regional Cancer Center, Guangzhou", "regional", "SUBS", 7 },
	{ "REG17", "Hainan Regional Cancer Center, Haikou", "regional", "SUBS", 2 },
	{ "REG18", "Sichuan Regional Cancer Center, Chengdu", "regional", "SUBS", 6 },
	{ "REG19", "Guizhou Regional Cancer Center, Guiyang", "regional", "SUBS", 3 },
	{ "REG20", "Yunnan Regional Cancer Center, Kunming", "regional", "SUBS", 3 },
	{ "HOSP01", "Tangshan People's Hospital", "hospital", "REG01", 2 },
	{ "HOSP02", "Dalian Central Hospital", "hospital", "REG03", 2 },
	{ "HOSP03", "Qingdao Municipal Hospital", "hospital", "REG06", 2 },
	{ "HOSP04", "Suzhou First People's Hospital", "hospital", "REG09", 2 },
	{ "HOSP05", "Shenzhen People's Hospital", "hospital", "REG16", 2 },
	{ "HOSP06", "Mianyang Central Hospital", "hospital", "REG18", 1 },
};

#define NSITES ((int)(sizeof site_defs / sizeof site_defs[0]))

/* ---- the cancers: ICD-O-3 codes and what each brings to the bank ---- */

typedef struct topo {
	const char *code, *organ;
} topo;

typedef struct cancer {
	int weight;
	int female_pct;   /* share of female donors */
	int age;          /* mean age at diagnosis */
	topo topo[5];     /* topographies, picked evenly */
	const char *morph[3];
	int morph_w[3];
	int tissue_pct;   /* donors giving tissue */
	int biopsy_pct;   /* of those, by biopsy rather than surgery */
	const char *fluid;  /* the body fluid this cancer brings, or NULL */
	int fluid_pct;
} cancer;

static const cancer cancers[] = {
	{ 18, 99, 52, { { "C50.9", "breast" }, { "C50.4", "breast, upper-outer quadrant" },
		{ "C50.2", "breast, upper-inner quadrant" }, { "C50.8", "breast, overlapping" } },
		{ "8500/3", "8520/3", "8480/3" }, { 80, 15, 5 }, 92, 15, "pleural_fluid", 4 },
	{ 17, 40, 63, { { "C34.1", "lung, upper lobe" }, { "C34.3", "lung, lower lobe" },
		{ "C34.2", "lung, middle lobe" }, { "C34.9", "lung" } },
		{ "8140/3", "8070/3", "8041/3" }, { 60, 30, 10 }, 82, 30, "pleural_fluid", 14 },
	{ 13, 45, 62, { { "C18.0", "caecum" }, { "C18.2", "ascending colon" },
		{ "C18.7", "sigmoid colon" }, { "C20.9", "rectum" }, { "C18.9", "colon" } },
		{ "8140/3", "8480/3", NULL }, { 90, 10, 0 }, 90, 10, "ascites", 3 },
	{ 10, 35, 60, { { "C16.0", "cardia" }, { "C16.2", "body of stomach" },
		{ "C16.3", "gastric antrum" }, { "C16.9", "stomach" } },
		{ "8140/3", "8490/3", NULL }, { 70, 30, 0 }, 88, 15, "ascites", 10 },
	{ 8, 25, 56, { { "C22.0", "liver" } }, { "8170/3", NULL, NULL }, { 100, 0, 0 },
		80, 25, "ascites", 15 },
	{ 8, 75, 45, { { "C73.9", "thyroid gland" } }, { "8260/3", "8345/3", NULL },
		{ 90, 10, 0 }, 92, 5, NULL, 0 },
	{ 5, 30, 64, { { "C15.5", "lower third of oesophagus" }, { "C15.4", "middle third of oesophagus" },
		{ "C15.9", "oesophagus" } }, { "8070/3", "8140/3", NULL }, { 85, 15, 0 }, 85, 30, NULL, 0 },
	{ 4, 100, 48, { { "C53.9", "cervix uteri" } }, { "8070/3", "8140/3", NULL }, { 85, 15, 0 },
		85, 40, NULL, 0 },
	{ 3, 100, 55, { { "C56.9", "ovary" } }, { "8441/3", "8460/3", NULL }, { 80, 20, 0 },
		85, 10, "ascites", 40 },
	{ 3, 45, 64, { { "C25.0", "head of pancreas" }, { "C25.9", "pancreas" } },
		{ "8500/3", NULL, NULL }, { 100, 0, 0 }, 70, 40, "ascites", 10 },
	{ 3, 35, 58, { { "C64.9", "kidney" } }, { "8312/3", "8260/3", NULL }, { 85, 15, 0 },
		85, 10, "urine", 40 },
	{ 2, 25, 66, { { "C67.9", "bladder" }, { "C67.2", "lateral wall of bladder" } },
		{ "8120/3", NULL, NULL }, { 100, 0, 0 }, 85, 35, "urine", 60 },
	{ 3, 0, 68, { { "C61.9", "prostate gland" } }, { "8140/3", NULL, NULL }, { 100, 0, 0 },
		80, 60, "urine", 30 },
	{ 1, 45, 55, { { "C71.9", "brain" }, { "C71.1", "frontal lobe" } },
		{ "9440/3", "9400/3", NULL }, { 75, 25, 0 }, 80, 20, "csf", 30 },
	{ 2, 25, 58, { { "C02.9", "tongue" }, { "C32.9", "larynx" }, { "C01.9", "base of tongue" } },
		{ "8070/3", NULL, NULL }, { 100, 0, 0 }, 85, 30, "saliva", 40 },
	{ 1, 45, 60, { { "C77.9", "lymph node" } }, { "9680/3", "9650/3", NULL }, { 80, 20, 0 },
		75, 70, "csf", 10 },
};

#define NCANCERS ((int)(sizeof cancers / sizeof cancers[0]))

static const char *const projects[] = {
	"PRJ-2019-004 ctDNA early detection", "PRJ-2020-011 breast cancer proteomics",
	"PRJ-2021-007 lung adenocarcinoma whole-genome sequencing",
	"PRJ-2021-019 gastric cancer organoids", "PRJ-2022-003 hepatocellular carcinoma methylome",
	"PRJ-2023-014 thyroid cancer RNA panel", "PRJ-2023-021 colorectal MSI validation",
	"PRJ-2024-002 pan-cancer serum metabolomics",
};
#define NPROJECTS ((int)(sizeof projects / sizeof projects[0]))

static const char *const withdrawal_reasons[] = {
	"donor withdrew consent by letter", "donor asked at a follow-up visit",
	"withdrawn by the donor's legal representative",
};

/* ---- storage: where each kind of tube goes ---- */

enum host { H_FREEZER, H_TANK, H_FRIDGE, NHOSTS };
enum stream { S_TUBE, S_ALIQ, S_LN2, S_FFPE, NSTREAMS };

static const struct host_def {
	const char *kind, *tag, *name, *child_kind, *child_tag, *child_name;
	double temp;
	int children;         /* racks or shelves per host */
} host_defs[NHOSTS] = {
	[H_FREEZER] = { "freezer", "FRZ", "Upright freezer %d (-80 \u00b0C)", "rack", "R", "Rack %d", -80, 8 },
	[H_TANK] = { "ln2_tank", "LN2T", "LN2 tank %d (-196 \u00b0C)", "rack", "R", "Canister %d", -196, 6 },
	[H_FRIDGE] = { "refrigerator", "FFPE", "FFPE block archive %d (4 \u00b0C)", "shelf", "S",
		"Shelf %d", 4, 6 },
};

static const struct stream_def {
	enum host host;
	int rows, cols, per_rack;
	const char *name;
} stream_defs[NSTREAMS] = {
	[S_TUBE] = { H_FREEZER, 9, 9, 12, "Tubes %d (9x9)" },
	[S_ALIQ] = { H_FREEZER, 10, 10, 12, "Aliquots %d (10x10)" },
	[S_LN2] = { H_TANK, 10, 10, 13, "Cryo %d (10x10)" },
	[S_FFPE] = { H_FRIDGE, 10, 10, 10, "FFPE blocks %d (10x10)" },
};

typedef struct host_state {
	int n;        /* hosts of this kind so far */
	int children; /* racks or shelves used in the current one */
	char barcode[OB_CONTAINER_BARCODE_MAX];
} host_state;

typedef struct stream_state {
	char rack[OB_CONTAINER_BARCODE_MAX];
	int rack_boxes;
	char box[OB_CONTAINER_BARCODE_MAX];
	int used, nboxes;
} stream_state;

typedef struct site_state {
	const site_def *def;
	int64_t serial;  /* specimen barcode serial */
	int donors;
	host_state host[NHOSTS];
	stream_state stream[NSTREAMS];
} site_state;

/* ---- studies: the collection protocols donors are enrolled in ---- */

/* A planned specimen of an event (pathology NULL: any). */
typedef struct req_def {
	const char *event, *code, *type, *pathology;
	int count;
	double quantity;
	const char *unit, *processing;
} req_def;

typedef struct event_def {
	const char *code, *label;
	int day;
} event_def;

/* The form of mid-2024 that asks about transfer to other centres. */
#define V3_FORM "v3.0"

typedef struct study_def {
	const char *code, *title, *ethics_ref, *approved, *expires, *ppid_format, *status;
	const char *sites[9], *forms[3];
	event_def events[5];
	req_def reqs[8];
} study_def;

enum { ST_BC, ST_THY, ST_PTB, ST_ESCC, ST_LUNG, NSTUDIES };

static const study_def study_defs[NSTUDIES] = {
	[ST_BC] = { "BC-COHORT", "Breast Cancer Cohort of Northern China", "NCC-IRB-2015-112",
		"2015-11-20", "2027-12-31", "^BC-REG0[1-8]-[0-9]{5}$", "active",
		{ "REG01", "REG02", "REG03", "REG04", "REG05", "REG06", "REG07", "REG08" },
		{ "v1.3", "v2.1", "BC-ICF 3.0" },
		{ { "BASELINE", "Diagnosis (baseline blood)", 0 }, { "SURGERY", "Surgery", 14 },
		  { "FU6M", "6-month follow-up", 180 }, { "FU12M", "12-month follow-up", 365 } },
		{ { "BASELINE", "PL", "plasma", NULL, 1, 4, "ml", "EDTA, double spin within 2 h, -80 C" },
		  { "BASELINE", "BC", "buffy_coat", NULL, 1, 0.5, "ml", "from the EDTA tube" },
		  { "SURGERY", "FFPE-T", "ffpe_block", "tumour", 1, 1, "block", "10% NBF, 6-48 h" },
		  { "SURGERY", "FF-T", "fresh_frozen", "tumour", 1, 100, "mg", "snap frozen within 30 min" },
		  { "SURGERY", "FF-N", "fresh_frozen", "normal", 1, 100, "mg", "snap frozen within 30 min" },
		  { "FU6M", "PL", "plasma", NULL, 1, 4, "ml", "EDTA, double spin within 2 h, -80 C" },
		  { "FU12M", "PL", "plasma", NULL, 1, 4, "ml", "EDTA, double spin within 2 h, -80 C" } } },
	[ST_THY] = { "THY-FAM", "Familial Thyroid Cancer Study (RET and beyond)", "NCC-IRB-2019-047",
		"2019-06-01", "2027-01-15", "^THY-[0-9]{5}$", "active",
		{ "NCC", "REG03", "REG06", "REG14" }, { "v2.1", V3_FORM },
		{ { "ENROL", "Enrolment", 0 }, { "FU24M", "24-month follow-up", 730 } },
		{ { "ENROL", "WB", "whole_blood", NULL, 1, 4, "ml", "EDTA, for germline DNA" },
		  { "ENROL", "BC", "buffy_coat", NULL, 1, 0.5, "ml", "from the EDTA tube" },
		  { "FU24M", "WB", "whole_blood", NULL, 1, 4, "ml", "EDTA" } } },
	[ST_PTB] = { "PAN-TB", "Pan-Cancer Tissue Bank of the National Cancer Center",
		"NCC-IRB-2014-009", "2014-03-01", "2029-02-28", "^PTB-[0-9]{6}$", "active",
		{ "NCC" }, { "v1.3", "v2.1", V3_FORM },
		{ { "SURGERY", "Surgery", 0 } },
		{ { "SURGERY", "FFPE-T", "ffpe_block", "tumour", 1, 1, "block", "10% NBF" },
		  { "SURGERY", "FF-T", "fresh_frozen", "tumour", 1, 100, "mg", "snap frozen" },
		  { "SURGERY", "FF-N", "fresh_frozen", "normal", 1, 100, "mg", "snap frozen" } } },
	[ST_ESCC] = { "ESCC-PILOT", "Oesophageal Squamous Cell Carcinoma Pilot", "HN-IRB-2016-021",
		"2016-01-01", "2019-12-31", "^ESCC-[0-9]{4}$", "active",
		{ "REG07" }, { "v1.3" },
		{ { "SURGERY", "Surgery", 0 } },
		{ { "SURGERY", "FFPE-T", "ffpe_block", "tumour", 2, 1, "block", "10% NBF" } } },
	[ST_LUNG] = { "LUNG-LDCT", "Low-Dose CT Lung Screening Biobank (in preparation)",
		"pending", NULL, NULL, "^LDCT-[0-9]{5}$", "draft",
		{ "REG09", "REG11" }, { "BC-ICF 3.0" },
		{ { "BASELINE", "Screening visit", 0 } },
		{ { "BASELINE", "PL", "plasma", NULL, 2, 2, "ml", "EDTA, double spin" } } },
};

/* The consent forms: two five-statement forms of the years before studies
 * had their own, the breast cohort's seven-statement form of 2022, and
 * v3.0 of mid-2024, the five statements and one on transfer. */
#define FIVE_STATEMENTS \
	{ "STORAGE", "My samples may be stored in the biobank.", "我同意我的样本保存在生物样本库。", \
	  OB_USE_STORAGE }, \
	{ "RESEARCH", "My samples and data may be used for medical research.", \
	  "我同意我的样本和数据用于医学研究。", OB_USE_RESEARCH }, \
	{ "GENETIC", "My samples may be used for genetic research.", "我同意我的样本用于遗传学研究。", \
	  OB_USE_GENETIC }, \
	{ "SHARING", "My coded data may be shared with researchers outside the network.", \
	  "我同意我的编码数据与网络以外的研究者共享。", OB_USE_SHARING }, \
	{ "RECONTACT", "I may be contacted again about this research.", "我同意就本研究再次与我联系。", \
	  OB_USE_RECONTACT }

static const ob_consent_statement legacy_statements[] = { FIVE_STATEMENTS };

static const ob_consent_statement v3_statements[] = {
	FIVE_STATEMENTS,
	{ "TRANSFER", "My samples may be sent to other centres of the network for storage and"
	  " research.", "我同意我的样本被送往本网络的其他中心保存和用于研究。", OB_USE_TRANSFER },
};

static const ob_consent_statement bc_statements[] = {
	{ "STORAGE", "My tissue and blood may be kept in the biobank for future research.",
	  "我同意将我的组织和血液保存在生物样本库，用于今后的研究。", OB_USE_STORAGE },
	{ "RESEARCH", "My samples and coded clinical data may be used for cancer research.",
	  "我同意将我的样本和编码的临床资料用于肿瘤研究。", OB_USE_RESEARCH },
	{ "GENETIC", "My samples may be used for genetic and genomic research, including sequencing"
	  " of inherited DNA.", "我同意将我的样本用于遗传和基因组研究，包括胚系DNA测序。",
	  OB_USE_GENETIC },
	{ "SHARING", "My coded data may be shared with researchers outside the network, in China"
	  " and abroad, under a data access agreement.",
	  "我同意在数据使用协议下，与网络以外（国内及国外）的研究者共享我的编码数据。", OB_USE_SHARING },
	{ "RECONTACT", "I may be contacted again about this research or new studies.",
	  "我同意就本研究或新的研究再次与我联系。", OB_USE_RECONTACT },
	{ "COMMERCIAL", "My samples may be used in research with commercial partners.",
	  "我同意我的样本用于与商业合作伙伴开展的研究。", OB_USE_COMMERCIAL },
	{ "FINDINGS", "I want to be told of findings about my health that the research makes by"
	  " chance, when they are medically actionable.",
	  "如研究中偶然发现对我健康有临床意义的结果，我希望被告知。", OB_USE_FINDINGS },
};


/* The requirement of study s's event that a specimen of type and
 * pathology fulfils, or NULL. */
static const char *requirement_of(int s, const char *event, const char *type,
                                  const char *pathology)
{
	const study_def *d = &study_defs[s];

	for (int q = 0; q < 8 && d->reqs[q].code; q++) {
		const req_def *rq = &d->reqs[q];
		if (!strcmp(rq->event, event) && !strcmp(rq->type, type)
		    && (!rq->pathology || (pathology && !strcmp(rq->pathology, pathology))))
			return rq->code;
	}
	return NULL;
}

static bool study_has_site(int s, const char *site)
{
	for (int i = 0; i < 9 && study_defs[s].sites[i]; i++)
		if (!strcmp(study_defs[s].sites[i], site))
			return true;
	return false;
}

/* One specimen made for the current donor, for the later status pass. */
typedef struct made {
	char barcode[OB_BARCODE_MAX];
	const char *type;
	bool aliquot;
	bool depleted;  /* used up by its aliquots */
} made;

#define MADE_MAX 64

typedef struct gen {
	ob_ctx cx;
	rng r;
	rng tr;                  /* the answers to v3.0's TRANSFER: a stream of
	                            their own, so every other draw is as it was
	                            before the form */
	ob_demo_report *rep;
	site_state sites[NSITES];
	int site_w[NSITES], cancer_w[NCANCERS];
	made made[MADE_MAX];
	int nmade;
	int enrolled[NSTUDIES];  /* participants so far, for their IDs */
	int cur_study;           /* the study the next primary specimens are
	                            collected in (-1: none), at cur_event */
	const char *cur_event;
} gen;

/* ---- storage allocation ---- */

static int add_container(gen *g, const char *barcode, const char *name, const char *kind,
                         const char *site, const char *parent, double temp, int rows, int cols)
{
	ob_container_new c;
	int rc;

	ob_container_new_init(&c);
	c.barcode = barcode;
	c.name = name;
	c.kind = kind;
	c.site = parent ? NULL : site;
	c.parent = parent;
	c.temperature = temp;
	c.rows = rows;
	c.cols = cols;
	if ((rc = ob_container_add(&g->cx, &c, NULL)) < 0)
		return ob_error_set(rc, "demo: container %s: %s", barcode, ob_error_last());
	return 0;
}

/* Opens a new rack (or shelf) for stream st, in a new host when the
 * current one is full. */
static int new_rack(gen *g, site_state *ss, enum stream st)
{
	const struct stream_def *sd = &stream_defs[st];
	const struct host_def *hd = &host_defs[sd->host];
	host_state *h = &ss->host[sd->host];
	stream_state *s = &ss->stream[st];
	char name[OB_CONTAINER_NAME_MAX];
	int rc;

	if (h->n == 0 || h->children >= hd->children) {
		h->n++;
		h->children = 0;
		textf(h->barcode, sizeof h->barcode, "%s-%s%02d", ss->def->code, hd->tag, h->n);
		textf(name, sizeof name, hd->name, h->n);
		if ((rc = add_container(g, h->barcode, name, hd->kind, ss->def->code, NULL, hd->temp,
		                        0, 0)) < 0)
			return rc;
		g->rep->containers[sd->host]++;
	}
	h->children++;
	textf(s->rack, sizeof s->rack, "%s-%s%02d", h->barcode, hd->child_tag, h->children);
	textf(name, sizeof name, hd->child_name, h->children);
	if ((rc = add_container(g, s->rack, name, hd->child_kind, NULL, h->barcode, NAN, 0, 0)) < 0)
		return rc;
	g->rep->containers[3]++;
	s->rack_boxes = 0;
	return 0;
}

/* The next free position of stream st at site ss, adding a box (and a
 * rack, and a freezer) when the current box is full. */
static int place(gen *g, site_state *ss, enum stream st, const char **box, char pos[OB_POSITION_MAX])
{
	const struct stream_def *sd = &stream_defs[st];
	stream_state *s = &ss->stream[st];
	char name[OB_CONTAINER_NAME_MAX];
	int rc;

	if (!s->box[0] || s->used >= sd->rows * sd->cols) {
		if ((!s->rack[0] || s->rack_boxes >= sd->per_rack) && (rc = new_rack(g, ss, st)) < 0)
			return rc;
		s->rack_boxes++;
		s->nboxes++;
		textf(s->box, sizeof s->box, "%s-B%02d", s->rack, s->rack_boxes);
		textf(name, sizeof name, sd->name, s->nboxes);
		if ((rc = add_container(g, s->box, name, "box", NULL, s->rack, NAN, sd->rows, sd->cols)) < 0)
			return rc;
		g->rep->boxes++;
		s->used = 0;
	}
	if ((rc = ob_position_name("A1", sd->cols, s->used / sd->cols + 1, s->used % sd->cols + 1,
	                           pos)) < 0)
		return ob_error_set(OB_ERROR, "demo: position %d of a %dx%d box", s->used, sd->rows,
			sd->cols);
	s->used++;
	*box = s->box;
	return 0;
}

/* ---- specimens ---- */

/* Creates sp at site ss (the barcode drawn from the site's series), stored
 * in the next position of stream st; remembers it for the status pass. */
static int add_specimen(gen *g, site_state *ss, ob_specimen_new *sp, enum stream st,
                        char barcode[OB_BARCODE_MAX])
{
	char pos[OB_POSITION_MAX];
	const char *box = NULL, *klass;
	int rc;

	if ((rc = ob_barcode_make(ss->def->code, ++ss->serial, barcode)) < 0)
		return rc;
	if ((rc = place(g, ss, st, &box, pos)) < 0)
		return rc;
	sp->barcode = barcode;
	sp->container = box;
	sp->position = pos;
	if (!sp->parent && g->cur_study >= 0) {
		sp->study = study_defs[g->cur_study].code;
		sp->event = g->cur_event;
		sp->requirement = requirement_of(g->cur_study, g->cur_event, sp->type, sp->pathology);
	}
	if ((rc = ob_specimen_create(&g->cx, sp, NULL, NULL)) < 0)
		return ob_error_set(rc, "demo: specimen %s (%s): %s", barcode, sp->type, ob_error_last());
	klass = ob_specimen_type_class(sp->type);
	if (sp->parent && !strcmp(klass, "nucleic_acid"))
		g->rep->derivatives++;
	else if (sp->parent)
		g->rep->aliquots++;
	else if (!strcmp(klass, "tissue"))
		g->rep->tissue++;
	else if (!strcmp(klass, "blood"))
		g->rep->blood++;
	else
		g->rep->fluid++;
	if (g->nmade < MADE_MAX) {
		made *m = &g->made[g->nmade++];
		ob_strlcpy(m->barcode, barcode, sizeof m->barcode);
		m->type = sp->type;
		m->aliquot = sp->parent && strcmp(klass, "nucleic_acid");
		m->depleted = false;
	}
	return 0;
}

/* What one donor's specimens share. */
typedef struct visit {
	site_state *ss;
	const char *donor;
	const cancer *ca;
	const topo *tp;
	int day;            /* the collection day */
} visit;

/* The consent forms and the studies, before any donor. */
static int add_forms_and_studies(gen *g)
{
#define STATEMENTS(a) a, sizeof a / sizeof a[0]
	static const struct {
		const char *version, *title, *effective;
		const ob_consent_statement *st;
		size_t n;
	} forms[] = {
		{ "v1.3", "Biobank informed consent, version 1.3", "2014-01-01",
		  STATEMENTS(legacy_statements) },
		{ "v2.1", "Biobank informed consent, version 2.1", "2020-01-01",
		  STATEMENTS(legacy_statements) },
		{ "BC-ICF 3.0", "Breast Cancer Cohort informed consent, version 3.0", "2022-01-01",
		  STATEMENTS(bc_statements) },
		{ V3_FORM, "Biobank informed consent, version 3.0", "2024-07-01",
		  STATEMENTS(v3_statements) },
	};
#undef STATEMENTS
	int rc;

	g->cx.actor_site = "NCC";
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		if ((rc = ob_consent_form_add(&g->cx, forms[i].version, forms[i].title, forms[i].effective,
		                              forms[i].st, forms[i].n, NULL)) < 0)
			return ob_error_set(rc, "demo: consent form %s: %s", forms[i].version,
				ob_error_last());
	}
	for (int i = 0; i < NSTUDIES; i++) {
		const study_def *d = &study_defs[i];
		ob_study_new sn;
		size_t ns = 0, nf = 0;
		int rc2 = 0;

		memset(&sn, 0, sizeof sn);
		sn.r.code = d->code;
		sn.r.title = d->title;
		sn.r.status = d->status;
		sn.r.ethics_ref = d->ethics_ref;
		sn.r.ethics_approved_on = d->approved;
		sn.r.ethics_expires_on = d->expires;
		sn.r.ppid_format = d->ppid_format;
		while (ns < 9 && d->sites[ns])
			ns++;
		while (nf < 3 && d->forms[nf])
			nf++;
		sn.sites = d->sites;
		sn.nsites = ns;
		sn.forms = d->forms;
		sn.nforms = nf;
		rc2 = ob_study_add(&g->cx, &sn, NULL);
		for (int e = 0; rc2 == 0 && e < 5 && d->events[e].code; e++)
			rc2 = ob_study_event_add(&g->cx, d->code, d->events[e].code, d->events[e].label,
			                         d->events[e].day, e + 1);
		for (int q = 0; rc2 == 0 && q < 8 && d->reqs[q].code; q++) {
			const req_def *rq = &d->reqs[q];
			ob_study_req_record rr;
			memset(&rr, 0, sizeof rr);
			rr.code = rq->code;
			rr.type = rq->type;
			rr.pathology = rq->pathology;
			rr.count = rq->count;
			rr.quantity = rq->quantity;
			rr.unit = rq->unit;
			rr.processing = rq->processing;
			rc2 = ob_study_requirement_add(&g->cx, d->code, rq->event, &rr);
		}
		if (rc2 < 0)
			return ob_error_set(rc2, "demo: study %s: %s", d->code, ob_error_last());
		g->rep->studies++;
	}
	return 0;
}

/* Enrols the donor of v in study s on day, under the next participant ID. */
static int enrol(gen *g, const visit *v, int s, int day)
{
	char ppid[32], date[OB_TIME_LEN];
	int n = ++g->enrolled[s];
	int rc;

	switch (s) {
	case ST_BC: textf(ppid, sizeof ppid, "BC-%s-%05d", v->ss->def->code, n); break;
	case ST_THY: textf(ppid, sizeof ppid, "THY-%05d", n); break;
	case ST_PTB: textf(ppid, sizeof ppid, "PTB-%06d", n); break;
	default: textf(ppid, sizeof ppid, "ESCC-%04d", n); break;
	}
	day_text(day, date);
	if ((rc = ob_study_enrol(&g->cx, study_defs[s].code, v->ss->def->code, v->donor, ppid,
	                         date)) < 0)
		return ob_error_set(rc, "demo: enrolling %s/%s in %s: %s", v->ss->def->code, v->donor,
			study_defs[s].code, ob_error_last());
	g->rep->enrolments++;
	return 0;
}

/* Surgery or biopsy: FFPE blocks, fresh-frozen and OCT tissue, and DNA and
 * RNA from some of the frozen tumour. */
static int collect_tissue(gen *g, const visit *v, const char *accession)
{
	rng *r = &g->r;
	bool biopsy = chance(r, v->ca->biopsy_pct / 100.0);
	int start = irange(r, 8 * 60, 15 * 60);  /* excision, minutes after midnight */
	double warm = biopsy ? -1 : drange(r, 4, 50, 1);
	char when[OB_TIME_LEN], normal_site[96], label[32], ff[OB_BARCODE_MAX], bc[OB_BARCODE_MAX];
	int blocks = biopsy ? 1 : irange(r, 1, 3), rc;

	textf(normal_site, sizeof normal_site, "%s, adjacent normal", v->tp->organ);
	/* FFPE blocks, labelled with the pathology accession and block number. */
	for (int b = 0; b < blocks + (!biopsy && chance(r, 0.35)); b++) {
		ob_specimen_new sp;
		bool tumour = b < blocks;
		ob_specimen_new_init(&sp);
		sp.site = v->ss->def->code;
		sp.donor = v->donor;
		sp.type = "ffpe_block";
		textf(label, sizeof label, "%s %c%d", accession, tumour ? 'A' : 'N', b + 1);
		sp.label = label;
		sp.anatomic_site = tumour ? v->tp->organ : normal_site;
		sp.pathology = tumour ? "tumour" : "normal";
		if (tumour)
			sp.tumour_pct = drange(r, 30, 95, 5);
		sp.quantity = 1;
		sp.unit = "block";
		moment_text(v->day, start, when);
		sp.collected_at = when;
		sp.collection = biopsy ? "BPS" : "SRG";
		sp.warm_ischaemia_min = warm;
		sp.cold_ischaemia_min = biopsy ? drange(r, 3, 30, 1) : drange(r, 10, 110, 1);
		sp.fixation = "NBF";
		sp.fixation_min = drange(r, 6 * 60, 48 * 60, 30);
		sp.vessel = "paraffin_block";
		if ((rc = add_specimen(g, v->ss, &sp, S_FFPE, bc)) < 0)
			return rc;
	}
	/* Fresh-frozen tumour (and often normal) for sequencing, some in LN2. */
	int frozen = biopsy ? chance(r, 0.3) : chance(r, 0.7) ? 1 + chance(r, 0.35) : 0;
	for (int f = 0; f < frozen; f++) {
		ob_specimen_new sp;
		bool tumour = f == 0;
		ob_specimen_new_init(&sp);
		sp.site = v->ss->def->code;
		sp.donor = v->donor;
		sp.type = "fresh_frozen";
		sp.anatomic_site = tumour ? v->tp->organ : normal_site;
		sp.pathology = tumour ? "tumour" : "normal";
		if (tumour)
			sp.tumour_pct = drange(r, 40, 95, 5);
		sp.quantity = biopsy ? drange(r, 60, 90, 1) : drange(r, 60, 250, 1);
		sp.unit = "mg";
		moment_text(v->day, start, when);
		sp.collected_at = when;
		sp.collection = biopsy ? "BPS" : "SRG";
		sp.warm_ischaemia_min = warm;
		sp.cold_ischaemia_min = drange(r, 5, 45, 1);
		sp.fixation = "SNP";
		sp.vessel = "cryotube_1_2ml";
		if ((rc = add_specimen(g, v->ss, &sp, chance(r, 0.4) ? S_LN2 : S_TUBE, ff)) < 0)
			return rc;
		if (!tumour)
			continue;
		/* Extracts from the tumour: DNA for sequencing, RNA for expression. */
		for (int k = 0; k < 2; k++) {
			bool dna = k == 0;
			if (!chance(r, dna ? 0.35 : 0.25))
				continue;
			ob_specimen_new_init(&sp);
			sp.parent = ff;
			sp.type = dna ? "dna" : "rna";
			sp.quantity = dna ? drange(r, 2, 60, 0.1) : drange(r, 1, 30, 0.1);
			sp.unit = "ug";
			sp.parent_used = drange(r, 10, 25, 1);
			sp.parent_thawed = false;
			sp.concentration = dna ? drange(r, 20, 400, 0.1) : drange(r, 30, 900, 0.1);
			sp.a260_280 = dna ? drange(r, 1.75, 1.98, 0.01) : drange(r, 1.9, 2.12, 0.01);
			if (dna)
				sp.din = drange(r, 5.5, 9.6, 0.1);
			else
				sp.rin = drange(r, 4.5, 9.5, 0.1);
			moment_text(v->day + irange(r, 3, 120), irange(r, 9 * 60, 17 * 60), when);
			sp.collected_at = when;
			if ((rc = add_specimen(g, v->ss, &sp, S_TUBE, bc)) < 0)
				return rc;
		}
	}
	/* OCT-embedded tumour for frozen sections. */
	if (!biopsy && chance(r, 0.12)) {
		ob_specimen_new sp;
		ob_specimen_new_init(&sp);
		sp.site = v->ss->def->code;
		sp.donor = v->donor;
		sp.type = "oct";
		sp.anatomic_site = v->tp->organ;
		sp.pathology = "tumour";
		sp.tumour_pct = drange(r, 40, 95, 5);
		sp.quantity = drange(r, 50, 200, 1);
		sp.unit = "mg";
		moment_text(v->day, start, when);
		sp.collected_at = when;
		sp.collection = "SRG";
		sp.warm_ischaemia_min = warm;
		sp.cold_ischaemia_min = drange(r, 5, 40, 1);
		sp.fixation = "OCT";
		sp.vessel = "cryotube_1_2ml";
		if ((rc = add_specimen(g, v->ss, &sp, S_TUBE, bc)) < 0)
			return rc;
	}
	return 0;
}

/* A centrifuged blood fraction or fluid: the shared fields. */
static void fluid_base(const visit *v, ob_specimen_new *sp, const char *type, int day, int minute,
                       char when[OB_TIME_LEN])
{
	ob_specimen_new_init(sp);
	sp->site = v->ss->def->code;
	sp->donor = v->donor;
	sp->type = type;
	moment_text(day, minute, when);
	sp->collected_at = when;
}

/* Splits a primary plasma or serum tube of quantity ml, just made, into n
 * aliquots of 0.5 ml; all of it when n * 0.5 reaches quantity. */
static int aliquot(gen *g, const visit *v, const char *parent, double quantity, const char *type,
                   int n, int day, int minute)
{
	rng *r = &g->r;
	enum stream st = chance(r, 0.2) ? S_LN2 : S_ALIQ;
	bool later = chance(r, 0.2);  /* aliquoted later from the frozen tube */
	char when[OB_TIME_LEN], bc[OB_BARCODE_MAX];
	int rc;

	if (g->nmade > 0 && n * 0.5 >= quantity - 1e-9)
		g->made[g->nmade - 1].depleted = true;
	if (later) {
		/* never after the demo's present, whatever today is */
		int at = day + irange(r, 30, 700);
		day = at > demo_end() ? (day + 1 > demo_end() ? day + 1 : demo_end()) : at;
	}
	moment_text(day, minute, when);
	for (int i = 0; i < n; i++) {
		ob_specimen_new sp;
		ob_specimen_new_init(&sp);
		sp.parent = parent;
		sp.type = type;
		sp.quantity = 0.5;
		sp.unit = "ml";
		sp.parent_thawed = later && i == 0;
		sp.freeze_thaw = later ? 1 : 0;
		sp.collected_at = when;
		if ((rc = add_specimen(g, v->ss, &sp, st, bc)) < 0)
			return rc;
	}
	return 0;
}

/* One blood draw: whole blood, plasma, serum, buffy coat (and DNA from it),
 * with plasma and serum aliquots. follow_up draws give plasma and serum. */
static int collect_blood(gen *g, const visit *v, int day, bool follow_up)
{
	rng *r = &g->r;
	int draw = irange(r, 7 * 60, 11 * 60);
	double pre = chance(r, 0.9) ? drange(r, 20, 110, 1) : drange(r, 120, 420, 1);
	const char *pre_temp = chance(r, 0.85) ? "RT" : "2-10";
	char when[OB_TIME_LEN], bc[OB_BARCODE_MAX], plasma[OB_BARCODE_MAX];
	const char *first;
	ob_specimen_new sp;
	int rc, proc = draw + (int)pre;
	bool have_plasma = false;

	/* The plasma protocol of the site's lab, now and then varied. */
	double u = unif(r);
	if (u < 0.75)
		first = "20/10/2000/brake";
	else if (u < 0.92)
		first = "4/15/2500/brake";
	else
		first = "20/10/3500/brake";

	if (!follow_up && chance(r, 0.65)) {
		fluid_base(v, &sp, "whole_blood", day, draw, when);
		sp.anatomic_site = "peripheral blood";
		sp.quantity = drange(r, 2, 4, 0.5);
		sp.unit = "ml";
		sp.collection = "PED";
		sp.precentrifugation_min = pre;
		sp.precentrifugation_temp = pre_temp;
		sp.centrifugation = "none";
		sp.second_centrifugation = "none";
		sp.vessel = "original_container";
		if ((rc = add_specimen(g, v->ss, &sp, S_TUBE, bc)) < 0)
			return rc;
	}
	if (chance(r, follow_up ? 0.95 : 0.9)) {
		fluid_base(v, &sp, "plasma", day, draw, when);
		sp.anatomic_site = "peripheral blood";
		sp.quantity = drange(r, 3, 4.5, 0.1);
		sp.unit = "ml";
		sp.collection = "PED";
		sp.precentrifugation_min = pre;
		sp.precentrifugation_temp = pre_temp;
		sp.centrifugation = first;
		if (chance(r, 0.25))
			sp.second_centrifugation = "4/10/16000/brake";
		else
			sp.second_centrifugation = "none";
		sp.postcentrifugation_min = drange(r, 10, 150, 1);
		sp.postcentrifugation_temp = chance(r, 0.8) ? "RT" : "2-10";
		sp.vessel = "pp_tube_5ml";
		if ((rc = add_specimen(g, v->ss, &sp, S_TUBE, plasma)) < 0)
			return rc;
		have_plasma = true;
		if (chance(r, 0.5) && (rc = aliquot(g, v, plasma, sp.quantity, "plasma", irange(r, 2, 4), day,
		                                      proc + 40)) < 0)
			return rc;
	}
	if (chance(r, 0.8)) {
		char serum[OB_BARCODE_MAX];
		fluid_base(v, &sp, "serum", day, draw, when);
		sp.anatomic_site = "peripheral blood";
		sp.quantity = drange(r, 1.5, 3, 0.1);
		sp.unit = "ml";
		sp.collection = "SST";
		sp.precentrifugation_min = drange(r, 30, 110, 1);
		sp.precentrifugation_temp = "RT";
		sp.centrifugation = "20/10/1800/brake";
		sp.second_centrifugation = "none";
		sp.postcentrifugation_min = drange(r, 10, 100, 1);
		sp.postcentrifugation_temp = "RT";
		sp.vessel = "pp_tube_5ml";
		if ((rc = add_specimen(g, v->ss, &sp, S_TUBE, serum)) < 0)
			return rc;
		if (chance(r, 0.4) && (rc = aliquot(g, v, serum, sp.quantity, "serum", irange(r, 2, 3), day,
		                                      proc + 50)) < 0)
			return rc;
	}
	if (!follow_up && have_plasma && chance(r, 0.7)) {
		char buffy[OB_BARCODE_MAX];
		fluid_base(v, &sp, "buffy_coat", day, draw, when);
		sp.anatomic_site = "peripheral blood";
		sp.quantity = drange(r, 0.5, 1, 0.1);
		sp.unit = "ml";
		sp.collection = "PED";
		sp.precentrifugation_min = pre;
		sp.precentrifugation_temp = pre_temp;
		sp.centrifugation = first;
		sp.second_centrifugation = "none";
		sp.postcentrifugation_min = drange(r, 10, 60, 1);
		sp.postcentrifugation_temp = "2-10";
		sp.vessel = "cryotube_1_2ml";
		if ((rc = add_specimen(g, v->ss, &sp, S_TUBE, buffy)) < 0)
			return rc;
		if (chance(r, 0.3)) {
			/* Germline DNA from the buffy coat. */
			ob_specimen_new_init(&sp);
			sp.parent = buffy;
			sp.type = "dna";
			sp.quantity = drange(r, 5, 40, 0.1);
			sp.unit = "ug";
			sp.parent_used = 0.2;
			sp.concentration = drange(r, 30, 250, 0.1);
			sp.a260_280 = drange(r, 1.78, 1.95, 0.01);
			sp.din = drange(r, 7, 9.8, 0.1);
			moment_text(day + irange(r, 5, 200), irange(r, 9 * 60, 17 * 60), when);
			sp.collected_at = when;
			if ((rc = add_specimen(g, v->ss, &sp, S_TUBE, bc)) < 0)
				return rc;
		}
	}
	return 0;
}

/* The body fluid a cancer brings: urine, ascites, pleural fluid, CSF or
 * saliva, with its own collection and processing. */
static int collect_fluid(gen *g, const visit *v, const char *type)
{
	rng *r = &g->r;
	char when[OB_TIME_LEN], bc[OB_BARCODE_MAX];
	ob_specimen_new sp;
	int day = v->day - irange(r, 0, 3);
	int rc;

	fluid_base(v, &sp, type, day, irange(r, 8 * 60, 16 * 60), when);
	sp.collection = "PPS";
	sp.precentrifugation_min = drange(r, 15, 200, 1);
	sp.precentrifugation_temp = chance(r, 0.6) ? "2-10" : "RT";
	sp.vessel = "pp_tube_5ml";
	sp.unit = "ml";
	sp.quantity = drange(r, 10, 50, 1);
	if (!strcmp(type, "urine")) {
		sp.anatomic_site = "urine, spot";
	} else if (!strcmp(type, "ascites")) {
		sp.anatomic_site = "peritoneal cavity";
	} else if (!strcmp(type, "pleural_fluid")) {
		sp.anatomic_site = "pleural cavity";
	} else if (!strcmp(type, "csf")) {
		sp.anatomic_site = "lumbar puncture";
		sp.quantity = drange(r, 1, 2, 0.5);
		sp.vessel = "pp_tube_0.5_2ml";
	} else {
		sp.anatomic_site = "oral cavity";
		sp.collection = "ORG";
		sp.quantity = 2;
	}
	if (strcmp(type, "saliva") && chance(r, 0.5)) {
		sp.centrifugation = !strcmp(type, "csf") ? "4/10/400/brake" : "4/10/1500/brake";
		sp.second_centrifugation = "none";
		sp.postcentrifugation_min = drange(r, 10, 90, 1);
		sp.postcentrifugation_temp = "2-10";
	} else {
		sp.centrifugation = "none";
		sp.second_centrifugation = "none";
	}
	if ((rc = add_specimen(g, v->ss, &sp, S_TUBE, bc)) < 0)
		return rc;
	return 0;
}

/* Later life of a donor's specimens: reservations, distributions to
 * projects, blocks and extracts used up. */
static int lived_in(gen *g)
{
	rng *r = &g->r;
	int rc;

	for (int i = 0; i < g->nmade; i++) {
		const made *m = &g->made[i];
		bool extract = !strcmp(m->type, "dna") || !strcmp(m->type, "rna");
		double u = unif(r), pd, pr, pu;
		const char *status = NULL;
		char reason[128];

		if (m->depleted)
			continue;
		if (m->aliquot) {
			pd = 0.07; pr = 0.02; pu = 0.01;
		} else if (extract) {
			pd = 0.08; pr = 0.02; pu = 0.03;
		} else if (!strcmp(m->type, "ffpe_block")) {
			pd = 0.01; pr = 0.01; pu = 0.02;
		} else {
			pd = 0.01; pr = 0.01; pu = 0.005;
		}
		const char *project = projects[irange(r, 0, NPROJECTS - 1)];
		if (u < pd) {
			status = "distributed";
			textf(reason, sizeof reason, "shipped to %s", project);
			g->rep->distributed++;
		} else if (u < pd + pr) {
			status = "reserved";
			textf(reason, sizeof reason, "reserved for %s", project);
			g->rep->reserved++;
		} else if (u < pd + pr + pu) {
			status = "depleted";
			textf(reason, sizeof reason, "%s", !strcmp(m->type, "ffpe_block")
				? "block cut through for sections" : "used up");
			g->rep->depleted++;
		}
		if (status && (rc = ob_specimen_set_status(&g->cx, m->barcode, status, reason)) < 0)
			return ob_error_set(rc, "demo: %s %s: %s", m->barcode, status, ob_error_last());
	}
	return 0;
}

static const cancer *pick_cancer(gen *g, int female)
{
	for (int tries = 0; tries < 32; tries++) {
		const cancer *c = &cancers[pick_weighted(&g->r, g->cancer_w, NCANCERS)];
		if (female < 0 || (female ? c->female_pct > 0 : c->female_pct < 100))
			return c;
	}
	return &cancers[2];  /* colorectal: either sex */
}

static const char *pick_morph(gen *g, const cancer *c)
{
	return c->morph[pick_weighted(&g->r, c->morph_w, 3)];
}

static int ntopo(const cancer *c)
{
	int n = 0;

	while (n < 5 && c->topo[n].code)
		n++;
	return n;
}

/* Consent scope: most donors consent to everything. */
static int pick_scope(gen *g)
{
	const int full = OB_CONSENT_STORAGE | OB_CONSENT_RESEARCH | OB_CONSENT_GENETIC
		| OB_CONSENT_SHARING | OB_CONSENT_RECONTACT;
	double u = unif(&g->r);

	if (u < 0.80)
		return full;
	if (u < 0.88)
		return full & ~OB_CONSENT_GENETIC;
	if (u < 0.95)
		return full & ~OB_CONSENT_SHARING;
	return full & ~OB_CONSENT_RECONTACT;
}

/* One donor's whole story. day: the first collection day. */
static int make_donor(gen *g, int day, bool force_withdrawal)
{
	rng *r = &g->r;
	site_state *ss = &g->sites[pick_weighted(r, g->site_w, NSITES)];
	const cancer *ca = pick_cancer(g, -1);
	bool female = chance(r, ca->female_pct / 100.0);
	int age = (int)lround(bell(r, ca->age, 11));
	char code[16], date[OB_TIME_LEN], when[OB_TIME_LEN], accession[24];
	visit v;
	int rc, last_day = day;
	bool tissue, withdraw;

	if (age < 18)
		age = 18 + irange(r, 0, 10);
	if (age > 92)
		age = 92 - irange(r, 0, 8);
	g->nmade = 0;
	ss->donors++;
	textf(code, sizeof code, "P%06d", ss->donors);
	g->cx.actor_site = ss->def->code;
	if ((rc = ob_donor_add(&g->cx, ss->def->code, code, chance(r, 0.003) ? "unknown"
	                       : female ? "female" : "male", year_of(day) - age, NULL)) < 0)
		goto fail;
	g->rep->donors++;

	v.ss = ss;
	v.donor = code;
	v.ca = ca;
	v.tp = &ca->topo[irange(r, 0, ntopo(ca) - 1)];
	v.day = day;
	day_text(day - irange(r, 3, 60), date);
	if ((rc = ob_donor_diagnose(&g->cx, ss->def->code, code, v.tp->code, pick_morph(g, ca),
	                            date)) < 0)
		goto fail;
	g->rep->diagnoses++;
	if (chance(r, 0.04)) {
		/* An earlier, second primary cancer. */
		const cancer *c2 = pick_cancer(g, female);
		if (c2 != ca) {
			day_text(day - irange(r, 400, 3650), date);
			if ((rc = ob_donor_diagnose(&g->cx, ss->def->code, code,
			                            c2->topo[irange(r, 0, ntopo(c2) - 1)].code,
			                            pick_morph(g, c2), date)) < 0)
				goto fail;
			g->rep->diagnoses++;
		}
	}
	/* Consent: form v1.3 before 2020, v2.1 after, and the breast cohort's
	 * own form from 2022; some re-consented. Signed before any collection. */
	int signed_day = day - 2 - irange(r, 0, 1);
	if (year_of(signed_day) >= 2020 && chance(r, 0.06)) {
		day_text(signed_day - irange(r, 400, 1500), date);
		if ((rc = ob_consent_add(&g->cx, ss->def->code, code, "v1.3", date, pick_scope(g),
		                         NULL)) < 0)
			goto fail;
		g->rep->consents++;
	}
	day_text(signed_day, date);
	bool breast = !strncmp(v.tp->code, "C50", 3), in_bc = breast && study_has_site(ST_BC,
		ss->def->code);
	int scope = pick_scope(g);
	if (in_bc && signed_day >= days_from_civil(2022, 1, 1)) {
		ob_consent_response resp[7];
		size_t n = 0;
		for (int k = 0; k < 5; k++)
			resp[n++] = (ob_consent_response){ bc_statements[k].code,
				scope & bc_statements[k].uses ? "yes" : "no" };
		resp[n++] = (ob_consent_response){ "COMMERCIAL", chance(r, 0.35) ? "yes" : "no" };
		resp[n++] = (ob_consent_response){ "FINDINGS", chance(r, 0.7) ? "yes"
			: chance(r, 0.5) ? "no" : "not_asked" };
		ob_consent_signing sg = { "BC-ICF 3.0", date, chance(r, 0.6) ? "research nurse"
			: NULL, resp, n, false };
		rc = ob_consent_sign(&g->cx, ss->def->code, code, &sg, NULL);
	} else if (signed_day >= days_from_civil(2024, 7, 1)) {
		/* v3.0 asks about sending the samples to other centres: a few
		 * decline, and their material stays at this site's scope. The
		 * first to sign it declines at any scale. */
		bool stay = chance(&g->tr, 0.04) || g->rep->transfer_declined == 0;
		rc = ob_consent_add(&g->cx, ss->def->code, code, V3_FORM, date,
		                    stay ? scope : scope | OB_USE_TRANSFER, NULL);
		g->rep->transfer_declined += stay;
	} else {
		rc = ob_consent_add(&g->cx, ss->def->code, code,
		                    year_of(signed_day) >= 2020 ? "v2.1" : "v1.3", date, scope, NULL);
	}
	if (rc < 0)
		goto fail;
	g->rep->consents++;

	/* Enrolment, the day the consent is signed: the breast cohort at its
	 * eight centers, the familial thyroid study, the center's tissue bank,
	 * the oesophageal pilot while it ran. */
	bool in_thy = !strncmp(v.tp->code, "C73", 3) && study_has_site(ST_THY, ss->def->code)
		&& signed_day >= days_from_civil(2019, 6, 15);
	bool in_ptb = study_has_site(ST_PTB, ss->def->code);
	bool in_escc = !strncmp(v.tp->code, "C15", 3) && study_has_site(ST_ESCC, ss->def->code)
		&& day <= days_from_civil(2019, 11, 30);
	if ((in_bc && (rc = enrol(g, &v, ST_BC, signed_day)) < 0)
	    || (in_thy && (rc = enrol(g, &v, ST_THY, signed_day)) < 0)
	    || (in_ptb && (rc = enrol(g, &v, ST_PTB, signed_day)) < 0)
	    || (in_escc && (rc = enrol(g, &v, ST_ESCC, signed_day)) < 0))
		goto fail;

	textf(accession, sizeof accession, "S%02d-%05d", year_of(day) % 100, irange(r, 1, 99999));
	tissue = chance(r, ca->tissue_pct / 100.0);
	g->cur_study = in_ptb ? ST_PTB : in_bc ? ST_BC : in_escc ? ST_ESCC : -1;
	g->cur_event = "SURGERY";
	if (tissue && (rc = collect_tissue(g, &v, accession)) < 0)
		goto fail;
	g->cur_study = in_bc ? ST_BC : in_thy ? ST_THY : -1;
	g->cur_event = in_bc ? "BASELINE" : "ENROL";
	if ((!tissue || chance(r, 0.92)) && (rc = collect_blood(g, &v, day - irange(r, 0, 2), false)) < 0)
		goto fail;
	g->cur_study = -1;
	if (ca->fluid && chance(r, ca->fluid_pct / 100.0) && (rc = collect_fluid(g, &v, ca->fluid)) < 0)
		goto fail;
	if (chance(r, 0.28)) {
		last_day = day + irange(r, 90, 400);
		g->cur_study = in_bc ? ST_BC : -1;
		g->cur_event = last_day - signed_day < 270 ? "FU6M" : "FU12M";
		rc = collect_blood(g, &v, last_day, true);
		g->cur_study = -1;
		if (rc < 0)
			goto fail;
	}
	withdraw = force_withdrawal || chance(r, 0.02);
	if (!withdraw && (rc = lived_in(g)) < 0)
		goto fail;
	if (withdraw) {
		/* After the specimens: a withdrawal blocks new ones. */
		int wd = last_day + irange(r, 30, 700);
		int limit = demo_end();
		if (wd > limit)
			wd = last_day + 1 > limit ? last_day + 1 : limit;
		day_text(wd, when);
		/* What becomes of the material: the donor's choice. */
		double u = unif(r);
		const char *disposition = u < 0.3 ? "destroy" : u < 0.8 ? "keep" : "data_only";
		if ((rc = ob_consent_withdraw(&g->cx, ss->def->code, code, when,
		                              withdrawal_reasons[irange(r, 0, 2)], disposition)) < 0)
			goto fail;
		g->rep->withdrawn++;
	} else if ((scope & OB_USE_GENETIC) && chance(r, 0.015)) {
		/* A partial withdrawal: no more genetic research, the rest stands. */
		int wd = last_day + irange(r, 30, 700);
		int limit = demo_end();
		if (wd > limit)
			wd = last_day + 1 > limit ? last_day + 1 : limit;
		day_text(wd, when);
		if ((rc = ob_consent_withdraw_statement(&g->cx, ss->def->code, code, "GENETIC", when,
		                                        "donor no longer wants genetic research")) < 0)
			goto fail;
		g->rep->partial++;
	}
	return 0;
fail:
	if (strncmp(ob_error_last(), "demo: ", 6))
		ob_error_set(rc, "demo: donor %s/%s: %s", ss->def->code, code, ob_error_last());
	return rc;
}

/* ---- the driver ---- */

static int count_rows(const ob_ctx *cx, const char *sql, int64_t *n)
{
	ob_stmt *s;
	int rc;

	*n = 0;
	if ((rc = ob_store_prepare(cx->st, sql, &s)) < 0)
		return rc;
	rc = ob_stmt_step(s);
	if (rc == OB_ROW) {
		*n = ob_stmt_int(s, 0);
		rc = 0;
	}
	ob_stmt_reset(s);
	return rc;
}

/* The end of the story: the oesophageal pilot closes, and two donors whose
 * DNA was sequenced withdraw from genetic research, so their stored results
 * are flagged. */
static int after_sequencing(gen *g)
{
	static const char *const sql =
		"SELECT s.code, d.code FROM sequencing_result q JOIN specimen p ON p.id = q.specimen_id"
		" JOIN donor d ON d.id = p.donor_id JOIN site s ON s.id = d.site_id"
		" WHERE d.withdrawn = 0 AND (d.consent_mask & 4) <> 0 GROUP BY s.code, d.code"
		" ORDER BY MIN(q.id) LIMIT 2";
	char site[2][OB_SITE_CODE_MAX], donor[2][65], day[OB_TIME_LEN];
	int n = 0, rc;
	ob_stmt *s;

	g->cx.actor_site = "REG07";
	if ((rc = ob_study_close(&g->cx, study_defs[ST_ESCC].code,
	                         "pilot complete: accrual target met, ethics approval ended")) < 0)
		return ob_error_set(rc, "demo: closing %s: %s", study_defs[ST_ESCC].code,
			ob_error_last());
	if ((rc = ob_store_prepare(g->cx.st, sql, &s)) < 0)
		return rc;
	while (n < 2 && (rc = ob_stmt_step(s)) == OB_ROW) {
		ob_strlcpy(site[n], ob_stmt_text(s, 0), sizeof site[n]);
		ob_strlcpy(donor[n], ob_stmt_text(s, 1), sizeof donor[n]);
		n++;
	}
	ob_stmt_reset(s);
	if (rc < 0)
		return rc;
	day_text(demo_end(), day);
	for (int i = 0; i < n; i++) {
		g->cx.actor_site = site[i];
		if ((rc = ob_consent_withdraw_statement(&g->cx, site[i], donor[i], "GENETIC", day,
		                                        "donor asked that no more genetic research be"
		                                        " done")) < 0)
			return ob_error_set(rc, "demo: donor %s/%s: %s", site[i], donor[i],
				ob_error_last());
		g->rep->partial++;
		g->rep->flagged++;
	}
	return 0;
}

static int build(gen *g, double scale)
{
	/* Collection days spread over 2016-2024, in donor order. */
	int first = days_from_civil(2016, 1, 4), last = days_from_civil(2024, 12, 20);
	int64_t n = llround(22000.0 * scale), events0, events1;
	int rc;

	if (n < 1)
		n = 1;
	if ((rc = count_rows(&g->cx, "SELECT COALESCE(MAX(seq), 0) FROM audit_event", &events0)) < 0)
		return rc;
	for (int i = 0; i < NSITES; i++) {
		const site_def *d = &site_defs[i];
		int k = !strcmp(d->kind, "center") ? 0 : !strcmp(d->kind, "sub-center") ? 1
			: !strcmp(d->kind, "regional") ? 2 : 3;
		g->cx.actor_site = "NCC";
		if ((rc = ob_site_add(&g->cx, d->code, d->name, d->kind, d->parent, NULL)) < 0)
			return ob_error_set(rc, "demo: site %s: %s", d->code, ob_error_last());
		g->rep->sites[k]++;
		g->sites[i].def = d;
		g->site_w[i] = d->weight;
	}
	for (int i = 0; i < NCANCERS; i++)
		g->cancer_w[i] = cancers[i].weight;
	g->cur_study = -1;
	if ((rc = add_forms_and_studies(g)) < 0)
		return rc;
	for (int64_t i = 0; i < n; i++) {
		int day = first + (int)((double)(last - first) * (double)i / (double)n)
			+ irange(&g->r, 0, 2);
		/* At least one withdrawn donor, whatever the scale. */
		bool force = i == n / 2 && g->rep->withdrawn == 0;
		if ((rc = make_donor(g, day, force)) < 0)
			return rc;
	}
	if ((rc = ob_demo_sequencing(&g->cx, g->r.s, g->rep->sequencing)) < 0)
		return rc;
	if ((rc = after_sequencing(g)) < 0)
		return rc;
	if ((rc = ob_demo_shipments(&g->cx, g->rep)) < 0)
		return rc;
	if ((rc = count_rows(&g->cx, "SELECT COALESCE(MAX(seq), 0) FROM audit_event", &events1)) < 0)
		return rc;
	g->rep->events = events1 - events0;
	return 0;
}

int ob_demo_build(const ob_ctx *cx, const ob_demo_opts *o, ob_demo_report *rep)
{
	ob_demo_report local;
	double scale = o && o->scale > 0 ? o->scale : 1.0;
	uint64_t seed = o && o->seed ? o->seed : OB_DEMO_SEED_DEFAULT;
	int64_t nsites;
	gen *g;

	if (cx->role != 0)
		return ob_error_set(OB_EPERM, "permission denied: demo data is made by the local"
			" operator of an empty database, not by an account");
	int rc;

	if (!(scale >= OB_DEMO_SCALE_MIN && scale <= OB_DEMO_SCALE_MAX))
		return ob_error_set(OB_EINVALID, "scale: %g is outside %g to %g", scale,
			OB_DEMO_SCALE_MIN, OB_DEMO_SCALE_MAX);
	if (!rep)
		rep = &local;
	memset(rep, 0, sizeof *rep);
	if (!(g = calloc(1, sizeof *g)))
		return ob_error_set(OB_ERROR, "out of memory");
	g->cx = *cx;
	g->r.s = seed;
	g->tr.s = seed ^ 0x5452414E53464552ull;   /* "TRANSFER" */
	g->rep = rep;
	if ((rc = ob_store_begin(cx->st)) < 0)
		goto out;
	if ((rc = count_rows(cx, "SELECT COUNT(*) FROM site", &nsites)) == 0 && nsites > 0)
		rc = ob_error_set(OB_ECONFLICT, "demo-data needs an empty database: this one has %lld"
			" sites already", (long long)nsites);
	if (rc == 0)
		rc = build(g, scale);
	if (rc < 0)
		ob_store_rollback(cx->st);
	else
		rc = ob_store_commit(cx->st);
out:
	free(g);
	return rc;
}

int ob_demo_report_text(const ob_demo_report *r, ob_buf *out)
{
	int64_t primary = r->tissue + r->blood + r->fluid;

	ob_buf_printf(out, "sites:      %lld (%lld center, %lld sub-centers, %lld regional centers,"
		" %lld hospitals)\n", (long long)(r->sites[0] + r->sites[1] + r->sites[2] + r->sites[3]),
		(long long)r->sites[0], (long long)r->sites[1], (long long)r->sites[2],
		(long long)r->sites[3]);
	ob_buf_printf(out, "donors:     %lld (%lld diagnoses, %lld consents, %lld withdrawn,"
		" %lld withdrew one statement, %lld declined transfer)\n", (long long)r->donors,
		(long long)r->diagnoses, (long long)r->consents, (long long)r->withdrawn,
		(long long)r->partial, (long long)r->transfer_declined);
	ob_buf_printf(out, "studies:    %lld (%lld enrolments; 4 consent forms)\n",
		(long long)r->studies, (long long)r->enrolments);
	ob_buf_printf(out, "storage:    %lld freezers (-80 \u00b0C), %lld LN2 tanks (-196 \u00b0C),"
		" %lld FFPE archives (4 \u00b0C), %lld racks and shelves, %lld boxes\n",
		(long long)r->containers[0], (long long)r->containers[1], (long long)r->containers[2],
		(long long)r->containers[3], (long long)r->boxes);
	ob_buf_printf(out, "specimens:  %lld (%lld primary: %lld tissue, %lld blood, %lld fluid;"
		" %lld aliquots; %lld DNA/RNA extracts)\n",
		(long long)(primary + r->aliquots + r->derivatives), (long long)primary,
		(long long)r->tissue, (long long)r->blood, (long long)r->fluid, (long long)r->aliquots,
		(long long)r->derivatives);
	ob_buf_printf(out, "status:     %lld reserved, %lld distributed, %lld depleted\n",
		(long long)r->reserved, (long long)r->distributed, (long long)r->depleted);
	ob_buf_printf(out, "sequencing: %lld somatic and %lld germline panel results (VCF, synthetic"
		" panel genome; %lld donors' results flagged: genetic consent withdrawn)\n",
		(long long)r->sequencing[0], (long long)r->sequencing[1], (long long)r->flagged);
	ob_buf_printf(out, "shipments:  %lld (%lld draft, %lld packed, %lld in transit, %lld received,"
		" %lld cancelled; %lld items, %lld whole boxes)\n",
		(long long)(r->shipments[0] + r->shipments[1] + r->shipments[2] + r->shipments[3]
			+ r->shipments[4]), (long long)r->shipments[0], (long long)r->shipments[1],
		(long long)r->shipments[2], (long long)r->shipments[3], (long long)r->shipments[4],
		(long long)r->shipment_items, (long long)r->shipment_boxes);
	return ob_buf_printf(out, "audit:      %lld events\n", (long long)r->events);
}

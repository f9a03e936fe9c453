-- 011_shipments: material sent from one site of the network to another
-- (src/bank/shipment.h): the shipment, the boxes that travel whole, the
-- specimens on its manifest and the discrepancies found on receipt. Times
-- are ISO 8601 UTC text; *_by are usernames, as in the audit trail.

-- A shipment. The n_* columns count what shipment_item, shipment_box and
-- shipment_discrepancy hold (kept in step by the shipment functions in the
-- same transaction), so that a scan at the destination reads the
-- shipment's progress without counting 10,000 items; they are not part of
-- the shipment's canonical audit row.
CREATE TABLE shipment (
	id @PK@,
	code TEXT NOT NULL UNIQUE,
	from_site_id BIGINT NOT NULL REFERENCES site (id),
	to_site_id BIGINT NOT NULL REFERENCES site (id),
	state TEXT NOT NULL CHECK (state IN ('draft', 'packed', 'shipped', 'received', 'cancelled')),
	courier TEXT,
	tracking TEXT,
	condition TEXT CHECK (condition IN ('ambient', 'refrigerated', 'dry_ice', 'ln2_dry_shipper')),
	logger TEXT,
	notes TEXT,
	created_by TEXT NOT NULL,
	created_at TEXT NOT NULL,
	packed_by TEXT,
	packed_at TEXT,
	shipped_by TEXT,
	shipped_at TEXT,
	received_by TEXT,
	received_at TEXT,
	cancelled_by TEXT,
	cancelled_at TEXT,
	cancel_reason TEXT,
	n_items INTEGER NOT NULL DEFAULT 0,
	n_boxes INTEGER NOT NULL DEFAULT 0,
	n_received INTEGER NOT NULL DEFAULT 0,
	n_missing INTEGER NOT NULL DEFAULT 0,
	n_extra INTEGER NOT NULL DEFAULT 0,
	n_discrepancies INTEGER NOT NULL DEFAULT 0,
	CHECK (from_site_id <> to_site_id)
);
CREATE INDEX shipment_from ON shipment (from_site_id, state);
CREATE INDEX shipment_to ON shipment (to_site_id, state);

-- A box that travels whole, with its contents in their positions:
-- from_parent_id is the rack it left, parent_id the container it was put
-- into on receipt.
CREATE TABLE shipment_box (
	id @PK@,
	shipment_id BIGINT NOT NULL REFERENCES shipment (id),
	container_id BIGINT NOT NULL REFERENCES container (id),
	from_parent_id BIGINT REFERENCES container (id),
	state TEXT NOT NULL CHECK (state IN ('listed', 'received', 'missing')),
	parent_id BIGINT REFERENCES container (id),
	received_by TEXT,
	received_at TEXT,
	UNIQUE (shipment_id, container_id)
);
CREATE INDEX shipment_box_container ON shipment_box (container_id);

-- A specimen of the manifest: alone (box_id NULL) or in a box of
-- shipment_box; where it was when added (from_container_id,
-- from_position) and where it was put on receipt (container_id, position).
-- received_by and received_at also stamp an item declared missing.
CREATE TABLE shipment_item (
	id @PK@,
	shipment_id BIGINT NOT NULL REFERENCES shipment (id),
	specimen_id BIGINT NOT NULL REFERENCES specimen (id),
	box_id BIGINT REFERENCES shipment_box (id),
	from_container_id BIGINT REFERENCES container (id),
	from_position TEXT,
	state TEXT NOT NULL CHECK (state IN ('listed', 'received', 'missing')),
	container_id BIGINT REFERENCES container (id),
	position TEXT,
	received_by TEXT,
	received_at TEXT,
	UNIQUE (shipment_id, specimen_id)
);
-- the open shipment of a specimen, and the scope.c look-up of one in transit
CREATE INDEX shipment_item_specimen ON shipment_item (specimen_id, state);
CREATE INDEX shipment_item_box ON shipment_item (box_id);

-- A discrepancy found on receipt: about an item (item_id), a box or a
-- barcode not on the manifest (item_id NULL, barcode as scanned).
CREATE TABLE shipment_discrepancy (
	id @PK@,
	shipment_id BIGINT NOT NULL REFERENCES shipment (id),
	item_id BIGINT REFERENCES shipment_item (id),
	barcode TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('missing', 'extra', 'damaged', 'thawed', 'wrong_label')),
	note TEXT,
	recorded_by TEXT NOT NULL,
	recorded_at TEXT NOT NULL
);
CREATE INDEX shipment_discrepancy_shipment ON shipment_discrepancy (shipment_id, barcode);

// validate.mjs FILE - validates FILE (the document served at
// /api/openapi.json) against the OpenAPI 3 schema with a real validator,
// then prints one "METHOD PATH" line per operation for the caller to probe.
// Exits 1 with the validator's errors when the document is not valid.
//
// validate.mjs FILE --response METHOD PATH STATUS BODY - checks the JSON in
// the file BODY against the schema FILE gives for that operation's STATUS
// response (PATH as written in the document, "/api/specimens/{barcode}").
import { readFile } from "node:fs/promises";
import { Validator } from "@seriousme/openapi-schema-validator";
import Ajv from "ajv";

const file = process.argv[2];
if (!file) {
	console.error("usage: node validate.mjs openapi.json [--response METHOD PATH STATUS BODY]");
	process.exit(2);
}
const doc = JSON.parse(await readFile(file, "utf8"));
const validator = new Validator();
const res = await validator.validate(doc);
if (!res.valid) {
	console.error(JSON.stringify(res.errors, null, 2));
	process.exit(1);
}
if (validator.version !== "3.0") {
	console.error(`expected OpenAPI 3.0, the validator read ${validator.version}`);
	process.exit(1);
}
// Every $ref must resolve (the schema check does not follow them).
const text = JSON.stringify(doc);
for (const m of text.matchAll(/"\$ref":"#\/([^"]+)"/g)) {
	let node = doc;
	for (const part of m[1].split("/"))
		node = node?.[part];
	if (node === undefined) {
		console.error(`unresolved $ref: #/${m[1]}`);
		process.exit(1);
	}
}
if (process.argv[3] === "--response") {
	const [method, path, status, bodyFile] = process.argv.slice(4);
	const op = doc.paths[path]?.[method.toLowerCase()];
	let resp = op?.responses?.[status];
	if (resp?.$ref)
		resp = doc.components.responses[resp.$ref.split("/").pop()];
	const schema = resp?.content?.["application/json"]?.schema;
	if (!schema) {
		console.error(`no JSON schema for ${method} ${path} ${status}`);
		process.exit(1);
	}
	// The schema's $refs point into the document: give it the components.
	const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
	const check = ajv.compile({ allOf: [schema], components: doc.components });
	const body = JSON.parse(await readFile(bodyFile, "utf8"));
	if (!check(body)) {
		console.error(`${method} ${path} ${status}: ` + JSON.stringify(check.errors.slice(0, 5)));
		process.exit(1);
	}
	process.exit(0);
}
for (const [path, item] of Object.entries(doc.paths))
	for (const method of Object.keys(item))
		if (["get", "post", "put", "patch", "delete"].includes(method))
			console.log(`${method.toUpperCase()} ${path}`);

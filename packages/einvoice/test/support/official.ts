/**
 * The official XRechnung 3.0 validation, run from Node as KoSIT's validator configuration runs it
 * (release 2026-01-31): the XML schema of the syntax (xmllint-wasm), then the CEN EN 16931 rules and
 * the KoSIT XRechnung rules (compiled XSLT, run by SaxonJS), with the severity overrides of the
 * standard scenarios. The artefacts are third-party files this repository does not hold: they are
 * found through `EINVOICE_ARTEFACTS` or in `../shared/einvoice` beside the repository.
 *
 * SaxonJS runs compiled stylesheets only (SEF). Each stylesheet is compiled once, by xslt3, into a
 * cache outside the repository keyed by the hash of what is compiled; SaxonJS computes xs:integer as a
 * double, which breaks the IBAN mod-97 checks (BR-DE-19, BR-DE-20), so the XRechnung stylesheets are
 * compiled with `xs:decimal(string-join(` for `xs:integer(string-join(`.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import SaxonJS from 'saxon-js';
import { validateXML, type XMLFileInfo } from 'xmllint-wasm';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** Where the artefacts come from, for the message of a run without them. */
export const ARTEFACT_SOURCES = [
  'OASIS UBL 2.1 schemas (xsdrt/ of the UBL 2.1 OS release)',
  'UN/CEFACT CII D16B schemas and the CEN EN 16931 validation XSLT 1.3.15 (github.com/ConnectingEurope/eInvoicing-EN16931, tag validation-1.3.15)',
  'the KoSIT XRechnung schematron 2.5.0 compiled to XSLT (github.com/itplr-kosit/xrechnung-schematron, tag v2.5.0)',
].join('; ');

/** The folder of the artefacts, or undefined when there is none. */
export const artefactsDir = (): string | undefined => {
  const fromEnv = process.env['EINVOICE_ARTEFACTS'];
  const dir =
    fromEnv !== undefined && fromEnv !== '' ? resolve(fromEnv) : resolve(REPO_ROOT, '../shared/einvoice');
  return existsSync(join(dir, 'cen-en16931-1.3.15')) ? dir : undefined;
};

export type Syntax = 'ubl' | 'cii';

/** One message of the validation: a rule id (or `XSD`) and its severity after the overrides. */
export interface Finding {
  readonly id: string;
  readonly severity: 'error' | 'warning' | 'information';
  readonly text: string;
}

/** Severity overrides of KoSIT's standard scenarios (validator-configuration-xrechnung). */
const OVERRIDES: Record<Syntax, Readonly<Record<string, Finding['severity']>>> = {
  ubl: { 'BR-CL-21': 'warning', 'BR-CL-23': 'warning', 'UBL-CR-646': 'error' },
  cii: {
    'BR-CL-21': 'warning',
    'BR-CL-23': 'warning',
    'CII-SR-452': 'error',
    'CII-SR-453': 'error',
    'CII-SR-454': 'error',
  },
};

const run = promisify(execFile);
const requireHere = createRequire(import.meta.url);

/** The cache of compiled stylesheets: outside the repository, per user. */
const CACHE = join(tmpdir(), `msp-billing-einvoice-sef-${process.getuid?.() ?? 'user'}`);

/** The SEF of an XSLT file (patched by `patch`), compiled once and cached by hash. */
const compiled = async (xslt: string, patch: (s: string) => string): Promise<unknown> => {
  const source = patch(readFileSync(xslt, 'utf8'));
  const xslt3 = requireHere.resolve('xslt3/xslt3.js');
  const version = (JSON.parse(readFileSync(join(xslt3, '../package.json'), 'utf8')) as { version: string })
    .version;
  const hash = createHash('sha256').update(version).update('\0').update(source).digest('hex').slice(0, 32);
  const sef = join(CACHE, `${hash}.sef.json`);
  if (!existsSync(sef)) {
    mkdirSync(CACHE, { recursive: true });
    const src = join(CACHE, `${hash}.${process.pid}.xslt`);
    const out = join(CACHE, `${hash}.${process.pid}.sef.json`);
    writeFileSync(src, source);
    await run(process.execPath, [xslt3, `-xsl:${src}`, `-export:${out}`, '-nogo', '-relocate:on'], {
      maxBuffer: 64 * 1024 * 1024,
    });
    unlinkSync(src);
    renameSync(out, sef); // atomic: a concurrent run sees the whole file or none
  }
  return JSON.parse(readFileSync(sef, 'utf8'));
};

const SAXON_INTEGER_BUG = (s: string): string =>
  s.replaceAll('xs:integer(string-join(', 'xs:decimal(string-join(');

/** A validator of one syntax over the artefacts in `dir`. */
export interface Validator {
  validate(xml: string): Promise<Finding[]>;
}

const schemaFiles = (
  dir: string,
  syntax: Syntax,
  root: 'Invoice' | 'CreditNote',
): { schema: XMLFileInfo; preload: XMLFileInfo[] } => {
  const file = (base: string, rel: string): XMLFileInfo => ({
    fileName: rel,
    contents: readFileSync(join(base, rel), 'utf8'),
  });
  if (syntax === 'cii') {
    const base = join(dir, 'cii-d16b-xsd');
    const main = 'CrossIndustryInvoice_100pD16B.xsd';
    return {
      schema: file(base, main),
      preload: readdirSync(base)
        .filter((f) => f.endsWith('.xsd') && f !== main)
        .map((f) => file(base, f)),
    };
  }
  const base = join(dir, 'ubl-2.1-xsd');
  return {
    schema: file(base, `maindoc/UBL-${root}-2.1.xsd`),
    preload: readdirSync(join(base, 'common'))
      .filter((f) => f.endsWith('.xsd'))
      .map((f) => file(base, `common/${f}`)),
  };
};

const ATTRIBUTE = (name: string, tag: string): string | undefined =>
  new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];

/** The messages of an SVRL report. */
const svrlFindings = (svrl: string, syntax: Syntax): Finding[] => {
  const out: Finding[] = [];
  const re = /<svrl:(failed-assert|successful-report)\b([^>]*)>([\s\S]*?)<\/svrl:\1>/g;
  for (let m = re.exec(svrl); m !== null; m = re.exec(svrl)) {
    const tag = m[2] as string;
    const id = ATTRIBUTE('id', tag) ?? '?';
    const flag = ATTRIBUTE('flag', tag) ?? 'error';
    const text = /<svrl:text>([\s\S]*?)<\/svrl:text>/.exec(m[3] as string)?.[1]?.trim() ?? '';
    const base: Finding['severity'] =
      flag === 'warning' ? 'warning' : flag === 'information' ? 'information' : 'error';
    out.push({ id, severity: OVERRIDES[syntax][id] ?? base, text });
  }
  return out;
};

/** The validator of `syntax`; compiles its stylesheets on first use (the CEN UBL one takes ~20 s). */
export const validator = async (dir: string, syntax: Syntax): Promise<Validator> => {
  const upper = syntax.toUpperCase();
  const cen = await compiled(join(dir, 'cen-en16931-1.3.15', `EN16931-${upper}-validation.xslt`), (s) => s);
  const kosit = await compiled(
    join(dir, 'xrechnung-3.0.2-schematron-2.5.0', `XRechnung-${upper}-validation.xsl`),
    SAXON_INTEGER_BUG,
  );
  const schemas = {
    Invoice: schemaFiles(dir, syntax, 'Invoice'),
    CreditNote: schemaFiles(dir, syntax, 'CreditNote'),
  };
  return {
    async validate(xml) {
      const root = syntax === 'ubl' && /<ubl:CreditNote\b/.test(xml) ? 'CreditNote' : 'Invoice';
      const { schema, preload } = schemas[root];
      const xsd = await validateXML({ xml: [{ fileName: 'invoice.xml', contents: xml }], schema, preload });
      const findings: Finding[] = xsd.errors.map((e) => ({ id: 'XSD', severity: 'error', text: e.message }));
      for (const sef of [cen, kosit]) {
        const report = SaxonJS.transform(
          { stylesheetInternal: sef, sourceText: xml, destination: 'serialized' },
          'sync',
        );
        findings.push(...svrlFindings(report.principalResult, syntax));
      }
      return findings;
    },
  };
};

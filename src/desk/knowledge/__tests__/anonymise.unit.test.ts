import assert from 'node:assert/strict';
import { test } from 'node:test';
import { anonymise, nameForms, nameFromEmail, stillIdentifying } from '../anonymise.js';

const MUSTER = {
  municipality: ['Musterhausen'],
  kreis: ['Fürstenfeldbruck'],
  keys: ['09179999'],
  people: ['Hans Müller', 'anna.schmidt@musterhausen.de'],
};

test('the brief’s example: municipality, mayor, phone, mail, street, post code and place', () => {
  const input =
    'Gemeinde Musterhausen, Bürgermeister Hans Müller, Tel. 08141 12345, info@musterhausen.de, Hauptstraße 5, 82256 Fürstenfeldbruck';
  assert.equal(
    anonymise(input, MUSTER),
    'Gemeinde [Kommune], Bürgermeister [Name], Tel. [Telefon], [E-Mail], [Adresse], [PLZ Ort]',
  );
});

test('a real inquiry: the municipality’s web site goes, the BSI’s stays; the Land stays', () => {
  const input = `Sehr geehrte Damen und Herren,

wir in Musterhausen (AGS 09179999) wollen unser Bürgerportal www.musterhausen.de/buergerservice an das BayernPortal
anbinden. Im Landkreis Fürstenfeldbruck nutzen schon drei Gemeinden die BSI-Vorgaben (https://www.bsi.bund.de/grundschutz).
Rückfragen gern an Frau Schmidt unter +49 (0) 8141 / 123-45 oder Fax 08141 12346.

Mit freundlichen Grüßen
Anna Schmidt
Rathausplatz 1, 82256 Musterhausen`;
  const out = anonymise(input, MUSTER);
  assert.match(out, /wir in \[Kommune\] \(AGS \[Schlüssel\]\)/);
  assert.match(out, /unser Bürgerportal \[Website\] an das BayernPortal/);
  assert.match(out, /Im Landkreis \[Landkreis\] nutzen/);
  assert.match(out, /https:\/\/www\.bsi\.bund\.de\/grundschutz/, 'other web addresses stay');
  assert.match(out, /an Frau \[Name\] unter \[Telefon\] oder Fax \[Telefon\]/);
  assert.match(out, /Mit freundlichen Grüßen\n\[Name\]\n\[Adresse\], \[PLZ Ort\]/);
  for (const leak of ['Musterhausen', 'Schmidt', '8141', '09179999', 'Fürstenfeldbruck', 'Rathausplatz']) {
    assert.ok(!out.includes(leak), `${leak} is gone`);
  }
  assert.equal(anonymise(out, MUSTER), out, 'idempotent');
});

test('adjective and genitive forms, umlaut spellings, participants named in the text', () => {
  const out = anonymise(
    'Der Musterhausener Gemeinderat und Musterhausens Kämmerer: Herr Mueller schrieb, Müller sei dafür. Anna Schmidt auch.',
    MUSTER,
  );
  assert.equal(
    out,
    'Der [Kommune] Gemeinderat und [Kommune] Kämmerer: Herr [Name] schrieb, [Name] sei dafür. [Name] auch.',
  );
});

test('dates, amounts, years, paragraph numbers and generic words are kept', () => {
  const input =
    'Ab dem 01.03.2026 kostet das 12.500 Euro; nach § 35 BayDSG und Art. 12 gilt die Frist von 2 Wochen. Die Gemeinde prüft das OZG 2.0.';
  assert.equal(anonymise(input, MUSTER), input);
  assert.equal(stillIdentifying(input, MUSTER), false);
  assert.equal(stillIdentifying('Bitte an info@musterhausen.de', MUSTER), true);
});

test('a city in Saxony: the post code with a leading zero is a place, not a phone number', () => {
  const out = anonymise('Stadtverwaltung Dresden, Dr.-Külz-Ring 19, 01067 Dresden, Telefon 0351 4880', {
    municipality: ['Dresden, Stadt'],
  });
  assert.equal(out, 'Stadtverwaltung [Kommune], [Adresse], [PLZ Ort], Telefon [Telefon]');
});

test('register names and mail addresses become name forms', () => {
  assert.deepEqual(nameForms('Fürstenfeldbruck, St'), ['Fürstenfeldbruck, St', 'Fürstenfeldbruck']);
  assert.deepEqual(nameForms('Markt Indersdorf'), ['Markt Indersdorf', 'Indersdorf']);
  assert.equal(nameFromEmail('hans.mueller@musterhausen.de'), 'Hans Mueller');
  assert.equal(nameFromEmail('info@musterhausen.de'), null);
});

test('titles without names, and academic titles', () => {
  assert.equal(
    anonymise('Sehr geehrter Herr Bürgermeister, Frau Dr. Weber bittet um Rückruf.', { municipality: [] }),
    'Sehr geehrter Herr Bürgermeister, Frau [Name] bittet um Rückruf.',
  );
});

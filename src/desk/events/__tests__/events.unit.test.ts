import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import ICAL from 'ical.js';
import {
  fromBerlinLocal,
  type IcsEvent,
  icsCalendar,
  icsEscape,
  icsFold,
  parseEventForm,
  placeFor,
  promotions,
  type QueueEntry,
  toBerlinLocal,
  waitingPosition,
} from '../model.js';

const at = (s: string) => new Date(s);
const e = (id: number, status: QueueEntry['status'], queued: string): QueueEntry => ({
  id,
  status,
  queuedAt: at(queued),
});

describe('waiting list', () => {
  test('a free place promotes the first waiting (queued_at, then id)', () => {
    const regs = [
      e(1, 'registered', '2026-05-01T08:00:00Z'),
      e(2, 'cancelled', '2026-05-01T08:01:00Z'),
      e(5, 'waiting', '2026-05-01T09:00:00Z'),
      e(4, 'waiting', '2026-05-01T09:00:00Z'),
      e(3, 'waiting', '2026-05-01T10:00:00Z'),
    ];
    assert.deepEqual(promotions(2, regs), [4]);
    assert.deepEqual(promotions(3, regs), [4, 5]);
    assert.deepEqual(promotions(10, regs), [4, 5, 3]);
  });
  test('a full event or a cancelled one promotes nobody', () => {
    const regs = [e(1, 'registered', '2026-05-01T08:00:00Z'), e(2, 'waiting', '2026-05-01T09:00:00Z')];
    assert.deepEqual(promotions(1, regs), []);
    assert.deepEqual(promotions(0, regs), []);
    assert.deepEqual(promotions(5, regs, true), []);
  });
  test('a capacity below the registered promotes nobody (nobody is removed either)', () => {
    const regs = [
      e(1, 'registered', '2026-05-01T08:00:00Z'),
      e(2, 'registered', '2026-05-01T08:00:00Z'),
      e(3, 'waiting', '2026-05-01T09:00:00Z'),
    ];
    assert.deepEqual(promotions(1, regs), []);
  });
  test('newcomers get a place while one is free and nobody waits', () => {
    assert.equal(placeFor(2, 1, 0), 'registered');
    assert.equal(placeFor(2, 2, 0), 'waiting');
    assert.equal(placeFor(3, 1, 1), 'waiting');
  });
  test('position on the waiting list', () => {
    const regs = [
      e(7, 'waiting', '2026-05-01T10:00:00Z'),
      e(6, 'waiting', '2026-05-01T09:00:00Z'),
      e(1, 'registered', '2026-05-01T08:00:00Z'),
    ];
    assert.equal(waitingPosition(6, regs), 1);
    assert.equal(waitingPosition(7, regs), 2);
    assert.equal(waitingPosition(1, regs), null);
  });
});

describe('Europe/Berlin', () => {
  test('wall clock to instant across summer time', () => {
    assert.equal(fromBerlinLocal('2026-06-03T10:00')?.toISOString(), '2026-06-03T08:00:00.000Z');
    assert.equal(fromBerlinLocal('2026-12-03T10:00')?.toISOString(), '2026-12-03T09:00:00.000Z');
    assert.equal(toBerlinLocal(at('2026-06-03T08:00:00Z')), '2026-06-03T10:00');
    assert.equal(fromBerlinLocal('2026-02-30T10:00'), null);
    assert.equal(fromBerlinLocal('morgen'), null);
  });
});

describe('event form', () => {
  const ok = {
    title: 'Schulung',
    format: 'online',
    joinUrl: 'https://meet.example/x',
    startsAt: '2026-06-03T10:00',
    endsAt: '2026-06-03T12:00',
    registrationDeadline: '2026-06-01T18:00',
    capacity: '20',
    stateKeys: ['16', '09'],
  };
  test('valid input', () => {
    const { input, errors } = parseEventForm(ok);
    assert.deepEqual(errors, []);
    assert.equal(input?.capacity, 20);
    assert.deepEqual(input?.stateKeys, ['16', '09']);
    assert.equal(input?.address, null);
  });
  test('every problem at once', () => {
    const { input, errors } = parseEventForm({
      ...ok,
      title: '',
      joinUrl: 'javascript:alert(1)',
      endsAt: '2026-06-03T09:00',
      registrationDeadline: '2026-06-04T10:00',
      capacity: '0',
      stateKeys: '99',
    });
    assert.equal(input, null);
    assert.deepEqual(errors.map((x) => x.field).sort(), [
      'capacity',
      'endsAt',
      'joinUrl',
      'registrationDeadline',
      'stateKeys',
      'title',
    ]);
  });
  test('on site needs an address', () => {
    assert.deepEqual(
      parseEventForm({ ...ok, format: 'onsite' }).errors.map((x) => x.field),
      ['address'],
    );
  });
});

describe('iCalendar', () => {
  const ev: IcsEvent = {
    id: 42,
    title: 'Workshop: Daten, Netze; Portale \\ mehr',
    description: `Erste Zeile\nZweite Zeile mit Umlauten äöü ß und einem sehr langen Text, der über 75 Oktette hinausgeht, damit gefaltet wird: ${'ä'.repeat(60)}`,
    startsAt: at('2026-06-03T08:00:00Z'),
    endsAt: at('2026-06-03T10:30:00Z'),
    location: 'Rathaus, Saal 2; Erfurt',
    cancelled: false,
    version: 3,
    updatedAt: at('2026-05-01T08:00:00Z'),
  };
  const ics = icsCalendar([ev, { ...ev, id: 43, cancelled: true, location: null }], {
    publicUrl: 'https://lotse.example',
    now: at('2026-05-02T09:00:00Z'),
    path: (id) => `/veranstaltungen/${id}`,
  });
  test('CRLF line ends and no line longer than 75 octets', () => {
    assert.ok(ics.endsWith('\r\n'));
    assert.ok(!/[^\r]\n/.test(ics), 'every LF follows a CR');
    for (const line of ics.split('\r\n')) assert.ok(Buffer.byteLength(line, 'utf8') <= 75, line);
    assert.ok(ics.includes('\r\n '), 'long lines are folded');
  });
  test('escaping', () => {
    assert.equal(icsEscape('a,b;c\\d\ne'), 'a\\,b\\;c\\\\d\\ne');
    assert.equal(icsFold('x'.repeat(80)), `${'x'.repeat(75)}\r\n ${'x'.repeat(5)}`);
  });
  test('parses back with ical.js: texts, times in Europe/Berlin, UID, URL, status', () => {
    const comp = new ICAL.Component(ICAL.parse(ics));
    const tz = comp.getFirstSubcomponent('vtimezone');
    assert.ok(tz);
    ICAL.TimezoneService.register(new ICAL.Timezone(tz));
    const events = comp.getAllSubcomponents('vevent');
    assert.equal(events.length, 2);
    const first = new ICAL.Event(events[0]!);
    assert.equal(first.summary, ev.title);
    assert.equal(first.description, ev.description);
    assert.equal(first.location, ev.location);
    assert.equal(first.uid, 'event-42@lotse.example');
    assert.equal(events[0]!.getFirstProperty('dtstart')?.getParameter('tzid'), 'Europe/Berlin');
    assert.equal(first.startDate.toJSDate().toISOString(), '2026-06-03T08:00:00.000Z');
    assert.equal(first.endDate.toJSDate().toISOString(), '2026-06-03T10:30:00.000Z');
    assert.equal(events[0]!.getFirstPropertyValue('url'), 'https://lotse.example/veranstaltungen/42');
    assert.equal(events[0]!.getFirstPropertyValue('status'), 'CONFIRMED');
    assert.equal(events[0]!.getFirstPropertyValue('sequence'), 2);
    assert.ok(events[0]!.getFirstPropertyValue('dtstamp'));
    assert.equal(events[1]!.getFirstPropertyValue('status'), 'CANCELLED');
    assert.equal(events[1]!.getFirstPropertyValue('location'), null);
  });
  test('a winter event is at UTC+1', () => {
    const winter = icsCalendar([{ ...ev, startsAt: at('2026-12-03T09:00:00Z'), endsAt: at('2026-12-03T10:00:00Z') }], {
      publicUrl: 'https://lotse.example',
      now: at('2026-05-02T09:00:00Z'),
      path: (id) => `/veranstaltungen/${id}`,
    });
    assert.match(winter, /DTSTART;TZID=Europe\/Berlin:20261203T100000/);
    const comp = new ICAL.Component(ICAL.parse(winter));
    ICAL.TimezoneService.register(new ICAL.Timezone(comp.getFirstSubcomponent('vtimezone')!));
    const e1 = new ICAL.Event(comp.getFirstSubcomponent('vevent')!);
    assert.equal(e1.startDate.toJSDate().toISOString(), '2026-12-03T09:00:00.000Z');
  });
});

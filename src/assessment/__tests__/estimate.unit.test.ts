import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ANSWER_SECONDS, estimateMinutes, questionSeconds, READING_WPM, readingWords, wordCount } from '../estimate.js';
import { applicableQuestions, loadModel, type ModelQuestion } from '../model.js';

const t = (de: string) => ({ de, en: de });
/** A question of `words` words in all: text, help and five levels. */
function question(
  textWords: number,
  helpWords: number,
  levelWords: number,
): Pick<ModelQuestion, 'text' | 'help' | 'levels'> {
  const w = (n: number) => t(Array.from({ length: n }, (_, i) => `w${i}`).join(' '));
  return {
    text: w(textWords),
    help: w(helpWords),
    levels: [w(levelWords), w(levelWords), w(levelWords), w(levelWords), w(levelWords)],
  };
}

describe('time estimate of the Digitalcheck', () => {
  test('words are runs of non-space characters', () => {
    assert.equal(wordCount('  Hat Ihre  Kommune\nZiele? '), 4);
    assert.equal(wordCount(''), 0);
  });

  test('reading load: question text, help and all five level descriptors', () => {
    assert.equal(readingWords(question(10, 30, 12), 'de'), 10 + 30 + 5 * 12);
  });

  test('one question: words at 200 per minute plus 30 seconds to answer', () => {
    assert.equal(READING_WPM, 200);
    assert.equal(ANSWER_SECONDS, 30);
    // 100 words = 30 s of reading, + 30 s answering.
    assert.equal(questionSeconds(question(10, 30, 12), 'de'), 60);
  });

  test('the sum is rounded up to whole five minutes; nothing left is 0', () => {
    assert.equal(estimateMinutes([], 'de'), 0);
    assert.equal(estimateMinutes([question(10, 30, 12)], 'de'), 5); // 1 minute → 5
    const ten = Array.from({ length: 10 }, () => question(10, 30, 12)); // 10 minutes exactly
    assert.equal(estimateMinutes(ten, 'de'), 10);
    const eleven = Array.from({ length: 11 }, () => question(10, 30, 12)); // 11 minutes → 15
    assert.equal(estimateMinutes(eleven, 'de'), 15);
  });

  test('longer texts take longer: the estimate follows the reading load', () => {
    const short = Array.from({ length: 20 }, () => question(5, 10, 5));
    const long = Array.from({ length: 20 }, () => question(20, 60, 25));
    assert.ok(estimateMinutes(long, 'de') > estimateMinutes(short, 'de'));
  });

  test('model v1: a Gemeinde of 5,000 about 45 minutes, one of 1,500 about 35 — fewer questions, less time', () => {
    const model = loadModel('1');
    const g5000 = applicableQuestions(model, { population: 5_000, kind: 'gemeinde' });
    const g1500 = applicableQuestions(model, { population: 1_500, kind: 'gemeinde' });
    assert.equal(g5000.length, 43);
    assert.equal(g1500.length, 33);
    assert.equal(estimateMinutes(g5000, 'de'), 45);
    assert.equal(estimateMinutes(g1500, 'de'), 35);
    // Honest: never below what reading alone takes.
    const words = g5000.reduce((n, q) => n + readingWords(q, 'de'), 0);
    assert.ok(estimateMinutes(g5000, 'de') >= words / READING_WPM);
  });
});

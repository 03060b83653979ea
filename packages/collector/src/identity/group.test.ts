// Protects the grouping rules R10-R12 on their own: phase 1 aliases, refusal of two known ids, caps on identifiers and absorbed profiles, and the oldest member surviving (R18).
import { describe, expect, it } from 'vitest';
import { groupMembers, type Member } from './group.ts';
import type { Link } from './links.ts';

const m = (value: string, at: number, known = false): Member => ({ value, known, first: { at, messageId: `m${at}` } });
const link = (a: string, b: string, at: number, alias = false, position = 0): Link => ({ messageId: `m${at}`, position, a, b, at, alias });

describe('groupMembers', () => {
  it('joins a browser to a user and keeps the older member as survivor', () => {
    const g = groupMembers([m('X', 1), m('c7', 2, true)], [link('X', 'c7', 2)]);
    expect(g.survivorOf.get('c7')).toBe('X');
    expect([...g.outcomes.values()]).toEqual(['merged']);
  });

  it('refuses a link between two groups that each hold a known id, whatever came first in the input', () => {
    const links = [link('X', 'c9', 2), link('X', 'c7', 1)];
    const g = groupMembers([m('X', 1), m('c7', 1, true), m('c9', 2, true)], links);
    expect(g.survivorOf.get('c7')).toBe(g.survivorOf.get('X'));
    expect(g.survivorOf.get('c9')).toBe('c9');
    expect(g.outcomes.get(links[0]!)).toBe('merge_conflict');
  });

  it('joins two known ids through an alias in phase 1, even when a conflicting link is older', () => {
    const members = [m('X', 1), m('c7', 1, true), m('c9', 3, true)];
    const links = [link('X', 'c7', 1), link('c9', 'c7', 5, true)];
    const g = groupMembers(members, links);
    expect(new Set([g.survivorOf.get('X'), g.survivorOf.get('c7'), g.survivorOf.get('c9')]).size).toBe(1);
  });

  it('refuses a join past the identifier cap', () => {
    const members = [m('a', 1), m('b', 2), m('c', 3)];
    const links = [link('a', 'b', 4), link('b', 'c', 5)];
    const g = groupMembers(members, links, { maxIdentifiers: 2, maxAbsorbed: 100 });
    expect(g.outcomes.get(links[1]!)).toBe('identity_limit');
    expect(g.survivorOf.get('c')).toBe('c');
  });

  it('counts absorbed profiles only when both sides existed before the joining message', () => {
    // x and y both seen before the identify that joins them: one absorption. z arrives with its link: attached.
    const members = [m('x', 1), m('y', 2), m('z', 5)];
    const links = [link('x', 'y', 3), link('y', 'z', 5)];
    expect([...groupMembers(members, links, { maxIdentifiers: 10, maxAbsorbed: 1 }).outcomes.values()]).toEqual(['merged', 'merged']);
    const stricter = groupMembers(members, links, { maxIdentifiers: 10, maxAbsorbed: 0 });
    expect(stricter.outcomes.get(links[0]!)).toBe('identity_limit');
    expect(stricter.outcomes.get(links[1]!)).toBe('merged');
  });

  it('ignores a link whose two ends are already together', () => {
    const links = [link('X', 'c7', 1), link('X', 'c7', 2)];
    const g = groupMembers([m('X', 1), m('c7', 1, true)], links);
    expect(g.outcomes.get(links[1]!)).toBe('unused');
  });
});

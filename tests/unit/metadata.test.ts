// Metadata joins: by filename or relative path, typed columns, and every mismatch reported.
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/io/csv.js';
import { joinMetadata } from '../../src/manifest/metadata.js';

const files = ['audio/1-100032-A-0.wav', 'audio/1-100038-A-14.wav', 'extra/a.wav', 'x/dup.wav', 'y/dup.wav'];
const csv = [
  'filename,fold,target,category,esc10,src_file,take',
  '1-100032-A-0.wav,1,0,dog,True,100032,A',
  '1-100038-A-14.wav,1,14,chirping_birds,False,100038,A',
  'missing.wav,2,3,cow,False,1,B',
  'dup.wav,3,1,rooster,False,2,A',
  'y/dup.wav,3,1,rooster,False,2,B',
].join('\n');

describe('joinMetadata', () => {
  it('joins on filename or relative path, types values, and reports every mismatch', () => {
    const j = joinMetadata(files, parseCsv(csv), 'filename');
    expect(j.byPath.get('audio/1-100032-A-0.wav')).toEqual({
      filename: '1-100032-A-0.wav', fold: 1, target: 0, category: 'dog', esc10: true, src_file: 100032, take: 'A',
    });
    expect(j.byPath.get('y/dup.wav')).toMatchObject({ take: 'B' }); // a relative path disambiguates
    expect(j.unmatchedFiles).toEqual(['extra/a.wav', 'x/dup.wav']);
    expect(j.unmatchedKeys).toEqual(['missing.wav']);
    expect(j.ambiguousKeys).toEqual(['dup.wav']);
  });

  it('an unknown join column is a RangeError listing the columns', () => {
    expect(() => joinMetadata(files, parseCsv(csv), 'file')).toThrow(/filename, fold/);
  });
});

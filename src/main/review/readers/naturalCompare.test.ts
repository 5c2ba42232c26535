import { describe, expect, it } from 'vitest';
import { naturalCompare } from './naturalCompare';

describe('naturalCompare', () => {
  it('orders numbers inside names by value; equal numbers fall to the rest of the name', () => {
    expect(['10_x.sql', '2_x.sql', '1_x.sql', '002_y.sql', 'a/10.sql', 'a/9.sql'].sort(naturalCompare)).toEqual([
      '1_x.sql',
      '2_x.sql',
      '002_y.sql',
      '10_x.sql',
      'a/9.sql',
      'a/10.sql',
    ]);
  });
});

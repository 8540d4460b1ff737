import { describe, expect, it } from 'vitest';
import { SHEETS } from '../../server/modules/sheets/columns';
import { neutralise, parseDateText, parseNumberText, readCell, serialToIso } from '../../server/modules/sheets/values';

/* Issue 21 §2: cells as people type them in Indonesia, read into Pantau's values. */

const column = (sheet: string, key: string) => SHEETS.find((s) => s.name === sheet)!.columns.find((c) => c.key === key)!;

describe('spreadsheet cells', () => {
  it('reads Indonesian numbers, rupiah and percents', () => {
    expect(parseNumberText('1.234,5')).toBe(1234.5);
    expect(parseNumberText('Rp 1.500.000')).toBe(1_500_000);
    expect(parseNumberText('Rp. 2.500')).toBe(2500);
    expect(parseNumberText('45%')).toBe(45);
    expect(parseNumberText('12,5')).toBe(12.5);
    expect(parseNumberText('-3')).toBe(-3);
    expect(parseNumberText('1,234.5')).toBe(1234.5);
    expect(parseNumberText('2.5')).toBe(2.5);
    expect(parseNumberText('1.000')).toBe(1000);
    expect(parseNumberText('banyak')).toBeNull();
    expect(parseNumberText('1,2,3.4,5')).toBeNull();
  });

  it('reads dates typed, written out in Indonesian, as Excel cells and as serial numbers', () => {
    expect(parseDateText('17/08/2025')).toBe('2025-08-17');
    expect(parseDateText('17-08-2025')).toBe('2025-08-17');
    expect(parseDateText('17 Agustus 2025')).toBe('2025-08-17');
    expect(parseDateText('Minggu, 17 Agt 2025')).toBe('2025-08-17');
    expect(parseDateText('2025-08-17')).toBe('2025-08-17');
    expect(parseDateText('31/02/2025')).toBeNull();
    expect(parseDateText('bukan tanggal')).toBeNull();
    expect(serialToIso(45886)).toBe('2025-08-17');
    const due = column('Rencana Aksi', 'dueDate');
    expect(readCell(due, new Date('2025-08-17T00:00:00Z'))).toEqual({ value: '2025-08-17' });
    expect(readCell(due, 45886)).toEqual({ value: '2025-08-17' });
    expect(readCell(due, 'kemarin')).toEqual({ problem: 'date' });
  });

  it('reads choices by label, value or alias, and money as whole rupiah', () => {
    expect(readCell(column('Program', 'dimension'), 'tata kelola birokrasi')).toEqual({ value: 'GOVERNANCE' });
    expect(readCell(column('Program', 'dimension'), 'Smart economy')).toEqual({ value: 'ECONOMY' });
    expect(readCell(column('Program', 'quickWin'), 'ya')).toEqual({ value: true });
    expect(readCell(column('Program', 'quickWin'), false)).toEqual({ value: false });
    expect(readCell(column('Rencana Aksi', 'budgetAmount'), 'Rp 1.500.000')).toEqual({ value: 1_500_000 });
    expect(readCell(column('Rencana Aksi', 'budgetAmount'), '1.500,5')).toEqual({ problem: 'whole' });
    expect(readCell(column('Rencana Aksi', 'supportingOpds'), 'Dinkes; Bappeda;Dinkes')).toEqual({ value: 'Bappeda; Dinkes' });
  });

  it('neutralises formula-like text on the way out and takes the apostrophe off on the way in', () => {
    expect(neutralise('=SUM(A1:A2)')).toBe("'=SUM(A1:A2)");
    expect(neutralise('@cmd')).toBe("'@cmd");
    expect(neutralise('Dinas')).toBe('Dinas');
    expect(readCell(column('Rencana Aksi', 'title'), "'=SUM(A1:A2)")).toEqual({ value: '=SUM(A1:A2)' });
    expect(readCell(column('Rencana Aksi', 'title'), "'biasa")).toEqual({ value: "'biasa" });
  });
});

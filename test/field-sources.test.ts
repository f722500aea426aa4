/**
 * The field sources (`packages/database/src/field-sources/`) against the supergraph: every field
 * of every entity and every root field is backed by a column, derived from rows, or constant;
 * nothing is declared that the supergraph lacks. A field added to a subgraph's schema without a
 * source fails here with its coordinate, instead of being served stale with no error.
 */
import { type AnySubgraphFieldSources, CATALOG_FIELD_SOURCES, CHANGE_TABLES, CHINOOK_FIELD_SOURCES, CHINOOK_TABLE_SCHEMAS, SUBGRAPH_FIELD_SOURCES } from '@tributary/database';
import { buildSchema, extendSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { composeSupergraph } from '../scripts/lib/compose-supergraph.js';
import { checkFieldCoverage } from './support/field-coverage.js';

// Composed from the subgraphs' schema files as they are now (a field added without `pnpm compose` counts too).
const composed = composeSupergraph();
if (!composed.ok) throw new Error(`the subgraph schemas do not compose:\n${composed.errors.join('\n')}`);
const apiSchema = buildSchema(composed.apiSchemaSdl);
const hint = 'declare one in packages/database/src/field-sources/<subgraph>.ts';

describe('field sources cover the supergraph', () => {
  it('backs every field of every entity and every root field by a column, a derived rule or a constant', () => {
    const { sources, problems } = checkFieldCoverage(apiSchema, SUBGRAPH_FIELD_SOURCES);
    expect(problems).toEqual([]);
    expect([...sources.get('Track.unitPrice')!]).toEqual(['column']);
    expect([...sources.get('Artist.albums')!]).toEqual(['derived']);
    expect([...sources.get('Invoice.lines')!]).toEqual(['derived']);
    expect([...sources.get('Query.topTracks')!]).toEqual(['derived']);
    expect([...sources.get('InvoiceLine.unitPrice')!]).toEqual(['column']);
  });

  it('fails with the coordinate of an entity field or root field that nothing backs', () => {
    const extended = extendSchema(apiSchema, parse('extend type Track { rating: Int } extend type Query { charts: [Track!]! }'));
    expect(checkFieldCoverage(extended, SUBGRAPH_FIELD_SOURCES).problems).toEqual([
      `Query.charts: no column, derived rule or constant backs it; ${hint}`,
      `Track.rating: no column, derived rule or constant backs it; ${hint}`,
    ]);
  });

  it('accepts a field declared constant', () => {
    const extended = extendSchema(apiSchema, parse('extend type Track { format: String }'));
    const withConstant: AnySubgraphFieldSources[] = [...SUBGRAPH_FIELD_SOURCES, { subgraph: 'catalog', tables: {}, constants: { 'Track.format': 'always "audio"' } }];
    const { sources, problems } = checkFieldCoverage(extended, withConstant);
    expect(problems).toEqual([]);
    expect([...sources.get('Track.format')!]).toEqual(['constant']);
  });

  it('fails on a declared field the supergraph lacks, and on a root that does not return its rows', () => {
    const track = CATALOG_FIELD_SOURCES.tables['catalog.track'];
    const wrong: AnySubgraphFieldSources = {
      subgraph: 'catalog',
      tables: {
        ...CATALOG_FIELD_SOURCES.tables,
        'catalog.track': { ...track, row: { ...track.row!, roots: ['Query.track', 'Query.genres'] }, columns: { ...track.columns, unit_price: ['unitprice'] } },
      },
    };
    // (Query.tracks stays covered: its genre filter is declared derived.)
    const problems = checkFieldCoverage(apiSchema, [wrong, ...SUBGRAPH_FIELD_SOURCES.slice(1)]).problems;
    expect(problems).toEqual([
      'Query.genres: declared a root of Track rows in catalog (catalog.track) but it does not return Track',
      `Track.unitPrice: no column, derived rule or constant backs it; ${hint}`,
      'Track.unitprice: declared in catalog (catalog.track) but not a field of the supergraph',
    ]);
  });

  it('is the one table list: the change triggers and the Chinook import derive theirs from it', () => {
    expect(CHANGE_TABLES).toEqual(Object.keys(CHINOOK_FIELD_SOURCES));
    expect(CHANGE_TABLES).toEqual([
      'catalog.artist',
      'catalog.album',
      'catalog.genre',
      'catalog.media_type',
      'catalog.track',
      'customers.employee',
      'customers.customer',
      'sales.invoice',
      'sales.invoice_line',
      'playlists.playlist',
      'playlists.playlist_track',
    ]);
    expect(Object.entries(CHINOOK_TABLE_SCHEMAS).map(([table, schema]) => `${schema}.${table}`)).toEqual(CHANGE_TABLES);
    for (const { subgraph, tables } of SUBGRAPH_FIELD_SOURCES) for (const table of Object.keys(tables)) expect(table.startsWith(`${subgraph}.`), table).toBe(true);
  });
});

export type { Dialect } from './dialect.js';
export type { Migration } from './migrations.js';
export { isPostgresUrl, openStore } from './openStore.js';
export type { Engine, OnConflict, Queryable, Row, SqlParam, Store } from './Store.js';

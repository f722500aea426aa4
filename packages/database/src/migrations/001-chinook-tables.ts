import { type Kysely, sql } from 'kysely';

/**
 * Chinook 1.4.5's tables, one Postgres schema per owning subgraph, with Chinook's table, column,
 * key and index names. Foreign keys stay inside a schema: a subgraph never holds a constraint on
 * another subgraph's table (see docs/architecture/SERVICE_DEPENDENCIES.md).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE SCHEMA catalog;
    CREATE SCHEMA customers;
    CREATE SCHEMA sales;
    CREATE SCHEMA playlists;

    CREATE TABLE catalog.artist (
      artist_id SERIAL NOT NULL, name VARCHAR(120),
      CONSTRAINT artist_pkey PRIMARY KEY (artist_id));
    CREATE TABLE catalog.album (
      album_id SERIAL NOT NULL, title VARCHAR(160) NOT NULL, artist_id INT NOT NULL,
      CONSTRAINT album_pkey PRIMARY KEY (album_id),
      CONSTRAINT album_artist_id_fkey FOREIGN KEY (artist_id) REFERENCES catalog.artist (artist_id));
    CREATE INDEX album_artist_id_idx ON catalog.album (artist_id);
    CREATE TABLE catalog.genre (
      genre_id SERIAL NOT NULL, name VARCHAR(120),
      CONSTRAINT genre_pkey PRIMARY KEY (genre_id));
    CREATE TABLE catalog.media_type (
      media_type_id SERIAL NOT NULL, name VARCHAR(120),
      CONSTRAINT media_type_pkey PRIMARY KEY (media_type_id));
    CREATE TABLE catalog.track (
      track_id SERIAL NOT NULL, name VARCHAR(200) NOT NULL, album_id INT, media_type_id INT NOT NULL,
      genre_id INT, composer VARCHAR(220), milliseconds INT NOT NULL, bytes INT,
      unit_price NUMERIC(10,2) NOT NULL,
      CONSTRAINT track_pkey PRIMARY KEY (track_id),
      CONSTRAINT track_album_id_fkey FOREIGN KEY (album_id) REFERENCES catalog.album (album_id),
      CONSTRAINT track_genre_id_fkey FOREIGN KEY (genre_id) REFERENCES catalog.genre (genre_id),
      CONSTRAINT track_media_type_id_fkey FOREIGN KEY (media_type_id) REFERENCES catalog.media_type (media_type_id));
    CREATE INDEX track_album_id_idx ON catalog.track (album_id);
    CREATE INDEX track_genre_id_idx ON catalog.track (genre_id);
    CREATE INDEX track_media_type_id_idx ON catalog.track (media_type_id);

    CREATE TABLE customers.employee (
      employee_id SERIAL NOT NULL, last_name VARCHAR(20) NOT NULL, first_name VARCHAR(20) NOT NULL,
      title VARCHAR(30), reports_to INT, birth_date TIMESTAMP, hire_date TIMESTAMP,
      address VARCHAR(70), city VARCHAR(40), state VARCHAR(40), country VARCHAR(40),
      postal_code VARCHAR(10), phone VARCHAR(24), fax VARCHAR(24), email VARCHAR(60),
      CONSTRAINT employee_pkey PRIMARY KEY (employee_id),
      CONSTRAINT employee_reports_to_fkey FOREIGN KEY (reports_to) REFERENCES customers.employee (employee_id));
    CREATE INDEX employee_reports_to_idx ON customers.employee (reports_to);
    CREATE TABLE customers.customer (
      customer_id SERIAL NOT NULL, first_name VARCHAR(40) NOT NULL, last_name VARCHAR(20) NOT NULL,
      company VARCHAR(80), address VARCHAR(70), city VARCHAR(40), state VARCHAR(40),
      country VARCHAR(40), postal_code VARCHAR(10), phone VARCHAR(24), fax VARCHAR(24),
      email VARCHAR(60) NOT NULL, support_rep_id INT,
      CONSTRAINT customer_pkey PRIMARY KEY (customer_id),
      CONSTRAINT customer_support_rep_id_fkey FOREIGN KEY (support_rep_id) REFERENCES customers.employee (employee_id));
    CREATE INDEX customer_support_rep_id_idx ON customers.customer (support_rep_id);

    CREATE TABLE sales.invoice (
      invoice_id SERIAL NOT NULL, customer_id INT NOT NULL, invoice_date TIMESTAMP NOT NULL,
      billing_address VARCHAR(70), billing_city VARCHAR(40), billing_state VARCHAR(40),
      billing_country VARCHAR(40), billing_postal_code VARCHAR(10), total NUMERIC(10,2) NOT NULL,
      CONSTRAINT invoice_pkey PRIMARY KEY (invoice_id));
    CREATE INDEX invoice_customer_id_idx ON sales.invoice (customer_id);
    CREATE TABLE sales.invoice_line (
      invoice_line_id SERIAL NOT NULL, invoice_id INT NOT NULL, track_id INT NOT NULL,
      unit_price NUMERIC(10,2) NOT NULL, quantity INT NOT NULL,
      CONSTRAINT invoice_line_pkey PRIMARY KEY (invoice_line_id),
      CONSTRAINT invoice_line_invoice_id_fkey FOREIGN KEY (invoice_id) REFERENCES sales.invoice (invoice_id));
    CREATE INDEX invoice_line_invoice_id_idx ON sales.invoice_line (invoice_id);
    CREATE INDEX invoice_line_track_id_idx ON sales.invoice_line (track_id);

    CREATE TABLE playlists.playlist (
      playlist_id SERIAL NOT NULL, name VARCHAR(120),
      CONSTRAINT playlist_pkey PRIMARY KEY (playlist_id));
    CREATE TABLE playlists.playlist_track (
      playlist_id INT NOT NULL, track_id INT NOT NULL,
      CONSTRAINT playlist_track_pkey PRIMARY KEY (playlist_id, track_id),
      CONSTRAINT playlist_track_playlist_id_fkey FOREIGN KEY (playlist_id) REFERENCES playlists.playlist (playlist_id));
    CREATE INDEX playlist_track_track_id_idx ON playlists.playlist_track (track_id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP SCHEMA playlists, sales, customers, catalog CASCADE`.execute(db);
}

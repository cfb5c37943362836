/**
 * The calibration table: one immutable record per tensor, sorted by name, with one result per
 * requested method. Every output format is written from it.
 */
package dev.qcal.core.table;

/**
 * Connections (from a URL or a data source, shown without passwords) and the seam each
 * database plugs into ({@link org.lockstep.internal.jdbc.Dialect}).
 */
package org.lockstep.internal.jdbc;

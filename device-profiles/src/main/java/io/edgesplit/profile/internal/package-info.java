/** Implementation of the profile loader; not a public API, may change without notice. */
package io.edgesplit.profile.internal;

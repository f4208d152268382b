/** EdgeRuntime and fleet coordination (issue 7). Not built yet. */
package io.edgesplit.runtime;

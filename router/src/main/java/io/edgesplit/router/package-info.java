/** Cost model, estimators, budgets, planner and simulator (issue 5). Not built yet. */
package io.edgesplit.router;

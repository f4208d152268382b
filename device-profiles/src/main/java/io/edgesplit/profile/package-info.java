/** Device, edge-server and cloud profiles (issue 4). Not built yet. */
package io.edgesplit.profile;

// Package app holds the helpers.
package app

CREATE TABLE `dataset_version_items` (
	`version_id` integer NOT NULL,
	`task_id` integer NOT NULL,
	`annotation_id` integer NOT NULL,
	`revision` integer NOT NULL,
	`split` text,
	PRIMARY KEY(`version_id`, `annotation_id`),
	FOREIGN KEY (`version_id`) REFERENCES `dataset_versions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `dataset_version_items_task_idx` ON `dataset_version_items` (`version_id`,`task_id`);--> statement-breakpoint
CREATE TABLE `dataset_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`project_id` integer NOT NULL,
	`number` integer NOT NULL,
	`name` text DEFAULT '' NOT NULL,
	`notes` text DEFAULT '' NOT NULL,
	`filter` text NOT NULL,
	`split` text,
	`schema_version` integer NOT NULL,
	`parent_id` integer,
	`manifest_sha256` text NOT NULL,
	`task_count` integer NOT NULL,
	`annotation_count` integer NOT NULL,
	`label_counts` text NOT NULL,
	`status` text DEFAULT 'ready' NOT NULL,
	`created_by` integer,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `dataset_versions_project_number_idx` ON `dataset_versions` (`project_id`,`number`);
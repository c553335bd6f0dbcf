CREATE TABLE `model_uploads` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` integer NOT NULL,
	`kind` text NOT NULL,
	`sha256` text NOT NULL,
	`size` integer NOT NULL,
	`info` text,
	`created_by` integer,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `model_uploads_project_idx` ON `model_uploads` (`project_id`);--> statement-breakpoint
CREATE TABLE `model_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`model_id` integer NOT NULL,
	`version` integer NOT NULL,
	`sha256` text NOT NULL,
	`size` integer NOT NULL,
	`descriptor` text NOT NULL,
	`label_map` text NOT NULL,
	`signature` text NOT NULL,
	`tokenizer_sha256` text,
	`config_sha256` text,
	`created_by` integer,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	FOREIGN KEY (`model_id`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `model_versions_model_version_idx` ON `model_versions` (`model_id`,`version`);--> statement-breakpoint
CREATE INDEX `model_versions_sha_idx` ON `model_versions` (`sha256`);--> statement-breakpoint
CREATE TABLE `models` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`project_id` integer NOT NULL,
	`name` text NOT NULL,
	`task` text NOT NULL,
	`created_by` integer,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `models_project_name_idx` ON `models` (`project_id`,`name`);--> statement-breakpoint
ALTER TABLE `projects` ADD `task_order` text DEFAULT 'id' NOT NULL;--> statement-breakpoint
ALTER TABLE `tasks` ADD `prediction_score` real;--> statement-breakpoint
CREATE INDEX `tasks_project_status_score_idx` ON `tasks` (`project_id`,`status`,`prediction_score`,`id`);--> statement-breakpoint
-- Backfill (ADR 0017): the lowest confidence among each model's latest prediction on the task.
UPDATE `tasks` SET `prediction_score` = (
	SELECT min(coalesce(
		(SELECT min(json_extract(r.value, '$.score')) FROM json_each(p.document, '$.regions') r WHERE json_type(r.value, '$.score') IN ('real', 'integer')),
		p.score))
	FROM `predictions` p
	WHERE p.task_id = `tasks`.id AND p.id = (SELECT max(p2.id) FROM `predictions` p2 WHERE p2.task_id = p.task_id AND p2.model = p.model)
) WHERE EXISTS (SELECT 1 FROM `predictions` p WHERE p.task_id = `tasks`.id);

ALTER TABLE `projects` ADD `task_order` text DEFAULT 'id' NOT NULL;--> statement-breakpoint
ALTER TABLE `tasks` ADD `prediction_score` real;--> statement-breakpoint
CREATE INDEX `tasks_project_status_score_idx` ON `tasks` (`project_id`,`status`,`prediction_score`,`id`);
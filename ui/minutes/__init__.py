"""The minutes window: notes per TOP with autosave and crash recovery, decisions, action items,
carried-over tasks, attendance, photos, states; and the cross-meeting task list."""

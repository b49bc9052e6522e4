;;; eglot-test.el --- Emacs (eglot) as an LSP client of Session Lint, in batch mode.
;; The setup a user writes, then: wait for Flymake diagnostics from the server and write them.
;; -Q skips site files: put Debian's packaged elpa-eglot on the load path.
(let ((default-directory "/usr/share/emacs/site-lisp/elpa/"))
  (when (file-directory-p default-directory) (normal-top-level-add-subdirs-to-load-path)))
(require 'eglot)
(require 'python)
(require 'json)

(add-to-list 'eglot-server-programs
             `(python-mode . ("node" ,(getenv "SL_SERVER") "--stdio")))

(let ((out (getenv "SL_OUT"))
      (result nil))
  (condition-case err
      (progn
        (find-file (getenv "SL_FILE"))
        (python-mode)
        ;; A user writes (add-hook 'python-mode-hook #'eglot-ensure); eglot-ensure connects after
        ;; the current command, which batch mode never finishes, so connect directly.
        (apply #'eglot (eglot--guess-contact))
        ;; Batch mode runs no idle timers: start Flymake's backends (eglot's) by hand.
        (let ((deadline (+ (float-time) 60)))
          (while (and (< (float-time) deadline)
                      (< (length (flymake-diagnostics)) 3))
            (when (bound-and-true-p flymake-mode) (flymake-start))
            (accept-process-output nil 0.2)))
        (setq result
              (list (cons 'diagnostics
                          (mapcar (lambda (d) (format "%s" (flymake-diagnostic-text d)))
                                  (flymake-diagnostics))))))
    (error (setq result (list (cons 'error (format "%S" err))))))
  (with-temp-file out (insert (json-encode result)))
  (kill-emacs 0))
